// The parts of the Workers runtime this package uses, typed structurally so that it needs no
// `@cloudflare/workers-types` (whose globals clash with the DOM's): `env.MY_QUEUE` typed `Queue`, a
// `MessageBatch`, an `R2Bucket`, a `KVNamespace` or a `DurableObjectNamespace` fit them as they are.

/** A Queue producer binding (`env.OCTO_QUEUE`, typed `Queue` by `@cloudflare/workers-types`). */
export interface QueueLike {
  /** Sends one message; resolves once the queue has it. */
  send(
    body: unknown,
    options?: { contentType?: "text" | "bytes" | "json" | "v8"; delaySeconds?: number },
  ): Promise<void>;
}

/** A message of a batch a queue consumer gets (`Message` of `@cloudflare/workers-types`). */
export interface QueueMessageLike {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  /** How many times it was delivered, this time included (1 the first time). */
  readonly attempts: number;
  /** Marks it processed: it is not delivered again, whatever the rest of the batch does. */
  ack(): void;
  /** Delivers it again later (after `delaySeconds`, else the queue's `retry_delay`), or to the dead-letter queue once out of retries. */
  retry(options?: { delaySeconds?: number }): void;
}

/** What a queue consumer's `queue()` gets first (`MessageBatch` of `@cloudflare/workers-types`). */
export interface MessageBatchLike {
  /** The name of the queue the batch comes from. */
  readonly queue: string;
  readonly messages: readonly QueueMessageLike[];
}

/**
 * Where bodies too large for a queue message are kept: an R2 bucket binding (`R2Bucket`) or a KV
 * namespace binding (`KVNamespace`), or anything with the same three methods. `get` resolves the text
 * (KV), an object with `text()` (R2), or nothing when the key is unknown.
 */
export interface BodyBucketLike {
  /** Keeps `value` under `key`. */
  put(key: string, value: string): Promise<unknown>;
  /** What is kept under `key`: its text, an object with `text()`, or nothing. */
  get(key: string): Promise<unknown>;
  /** Forgets `key`. */
  delete(key: string): Promise<unknown>;
}

/** A Durable Object stub: what `namespace.get(id)` returns. */
export interface DurableObjectStubLike {
  /** Sends the object a request; resolves its answer. */
  fetch(
    input: string,
    init?: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** A Durable Object namespace binding (`DurableObjectNamespace`). */
export interface DurableObjectNamespaceLike {
  /** The id of the object named `name`, the same wherever it is asked. */
  idFromName(name: string): unknown;
  /** A stub of the object of `id`. */
  get(id: never): DurableObjectStubLike;
}

/** A Durable Object's storage (`DurableObjectStorage`), as far as {@link OctoStoreObject} uses it. */
export interface DurableObjectStorageLike {
  /** The value under `key`, or `undefined`. */
  get(key: string): Promise<unknown>;
  /** Writes every entry, in one transaction. */
  put(entries: Record<string, unknown>): Promise<void>;
  /** Deletes the keys; resolves how many there were. */
  delete(keys: string[]): Promise<number>;
  /** The entries in key order, from `startAfter` to `end` (not included), `limit` at most. */
  list(options: {
    prefix?: string;
    startAfter?: string;
    end?: string;
    limit?: number;
  }): Promise<Map<string, unknown>>;
  /** When the object's alarm is set for (epoch ms), or `null`. */
  getAlarm(): Promise<number | null>;
  /** Sets the object's alarm: its `alarm()` runs then. */
  setAlarm(scheduledTime: number): Promise<void>;
}

/** What a Durable Object's constructor gets first (`DurableObjectState`). */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike;
}
