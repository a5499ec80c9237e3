import type { ReconciledReceiver } from "@octo-webhooks/client";
import { type Io, write } from "../output.ts";
import { safeText } from "../safe-text.ts";

// What `reconcile` shows while it runs, on a terminal only: one line on stderr, redrawn, with the
// resources read, changed, unchanged and failed, and each supplier's requests a second against the
// reconciler's limit. The counts come from the receiver (what became of each resource) and from the
// clients' `fetch` (each request sent to a supplier, retries included).

/** The window the read rate is measured over. */
const RATE_WINDOW_MS = 2000;
const REDRAW_MS = 250;

interface Counts {
  read: number;
  changed: number;
  unchanged: number;
  failed: number;
  /** When each recent request to the supplier started. */
  recent: number[];
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface ReconcileProgress {
  /** `inner`, with what becomes of each resource counted. */
  receiver(inner: ReconciledReceiver): ReconciledReceiver;
  /** The `fetch` of a supplier's client: each request counted for its rate. */
  fetchOf(supplier: string): Fetch;
  /** Prints a line to stderr (above the progress line while it is shown). */
  log(line: string): void;
  /** Starts redrawing the progress line (on a terminal). */
  start(): void;
  /** Stops redrawing and clears the line. */
  stop(): void;
}

/** The progress of a run over `suppliers`, drawn on stderr when `shown` (a terminal). */
export function reconcileProgress(
  io: Io,
  options: { shown: boolean; ratePerSecond: number; dryRun: boolean },
): ReconcileProgress {
  const counts = new Map<string, Counts>();
  const of = (supplier: string | undefined) => {
    const key = supplier ?? "";
    let found = counts.get(key);
    if (found === undefined) {
      found = { read: 0, changed: 0, unchanged: 0, failed: 0, recent: [] };
      counts.set(key, found);
    }
    return found;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let drawn = false;
  const forget = (c: Counts, now: number) => {
    while (c.recent.length > 0 && (c.recent[0] as number) < now - RATE_WINDOW_MS) c.recent.shift();
  };

  const line = () => {
    const now = Date.now();
    const total = { read: 0, changed: 0, unchanged: 0, failed: 0 };
    const rates: string[] = [];
    for (const [supplier, c] of counts) {
      total.read += c.read;
      total.changed += c.changed;
      total.unchanged += c.unchanged;
      total.failed += c.failed;
      forget(c, now);
      const rate = (c.recent.length * 1000) / RATE_WINDOW_MS;
      rates.push(`${safeText(supplier)} ${rate.toFixed(1)}/${options.ratePerSecond} reads/s`);
    }
    const outcome = options.dryRun
      ? `${total.changed} would be sent`
      : `${total.changed} changed, ${total.unchanged} unchanged, ${total.failed} failed`;
    const text = `reconciling: ${total.read} read, ${outcome} · ${rates.join(" · ")}`;
    const width = process.stderr.columns || 80;
    return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
  };
  const clear = () => {
    if (drawn) write(process.stderr, "\r\x1b[2K");
    drawn = false;
  };
  const draw = () => {
    write(process.stderr, `\r\x1b[2K${io.e.dim(line())}`);
    drawn = true;
  };

  return {
    receiver: (inner) => ({
      async receive(body, receiveOptions) {
        const c = of(receiveOptions?.supplier);
        c.read++;
        try {
          const result = await inner.receive(body, receiveOptions);
          if (result.skipped === undefined) c.changed++;
          else c.unchanged++;
          return result;
        } catch (error) {
          c.failed++;
          throw error;
        }
      },
    }),
    fetchOf: (supplier) => {
      const c = of(supplier);
      return (input, init) => {
        const now = Date.now();
        forget(c, now);
        c.recent.push(now);
        return globalThis.fetch(input, init);
      };
    },
    log: (text) => {
      clear();
      io.err(text);
      if (timer !== undefined) draw();
    },
    start: () => {
      if (!options.shown || timer !== undefined) return;
      draw();
      timer = setInterval(draw, REDRAW_MS);
      timer.unref();
    },
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
