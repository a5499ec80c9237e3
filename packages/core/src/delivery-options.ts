// The settings of the delivery semantics options (`dedupe`, `staleGuard`, `ackFirst`); see the README.

/** Duplicate suppression settings; see the README ("Delivery semantics"). */
export interface DedupeOptions {
  /** How long a processed delivery is remembered, in ms (default 24 h). */
  ttlMs?: number;
  /**
   * How long a claim protects a delivery that is still being processed, in ms (default 5 min): make it
   * longer than your slowest handler (plus the ack-first queue wait).
   */
  leaseMs?: number;
}

/** Stale-update guard settings. */
export interface StaleGuardOptions {
  /**
   * How long the newest `utcUpdatedAt` of each booking is remembered, in ms (default 7 days), from
   * the time it was stored (stale deliveries do not renew it).
   */
  ttlMs?: number;
  /**
   * How far ahead of this server's clock a `utcUpdatedAt` may be and still order updates, in ms
   * (default 5 min). A later one is dispatched but not recorded, so that one far-future timestamp
   * (`9999-12-31`) cannot make every later update of its booking stale.
   */
  maxFutureSkewMs?: number;
}

/** Ack-first settings (Node and other long-lived processes; `waitUntil` takes over where given). */
export interface AckFirstOptions {
  /** Deliveries whose handlers run at once in this process (default 8). */
  concurrency?: number;
  /** Deliveries that may wait for a slot; past it deliveries get 503 so that the sender retries (default 1000). */
  maxQueued?: number;
}
