// `createReconciler`: its options checked, a run (every supplier at once, silent ones first, each within
// its own lane of rate and concurrency, the whole bounded in time and resumable), and the in-process
// loop of `start()`/`stop()`.
import type { Logger } from "@octo-webhooks/core";
import { configError, PACKAGE_PREFIX } from "../errors.ts";
import { checkDesired } from "../registrations/check-input.ts";
import { subscriptionKind, webhookKind } from "../registrations/kinds.ts";
import { type RunSettings, reconcileSupplier, type SupplierJob } from "./reconcile-supplier.ts";
import { supplierLane } from "./supplier-lane.ts";
import type {
  AvailabilityToReconcile,
  ReconciledClient,
  ReconciledSupplier,
  ReconcileIds,
  ReconcileResume,
  ReconcileRunOptions,
  Reconciler,
  ReconcilerOptions,
  ReconcileSummary,
  SupplierReconcileSummary,
  SupplierResume,
  TravelWindow,
  WatchedRegistrations,
} from "./types.ts";

const DEFAULT_WINDOW: Required<TravelWindow> = { pastDays: 1, aheadDays: 60, daysPerList: 3 };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isClient = (value: unknown): value is ReconciledClient =>
  isRecord(value) &&
  isRecord(value.bookings) &&
  typeof (value.bookings as Record<string, unknown>).list === "function" &&
  isRecord(value.webhooks);

function positive(value: unknown, name: string, integer: boolean): void {
  if (
    typeof value !== "number" ||
    !(value > 0) ||
    (integer && !Number.isInteger(value)) ||
    value === Infinity
  ) {
    configError(`\`${name}\` must be a positive ${integer ? "integer" : "number"}`);
  }
}

function checkWatch(watch: unknown, where: string): WatchedRegistrations | undefined {
  if (watch === undefined) return undefined;
  if (!isRecord(watch)) configError(`\`${where}\` must be { webhooks?, notifications?, alsoAccepted? }`);
  const given = watch as WatchedRegistrations;
  try {
    if (given.webhooks !== undefined) checkDesired(given.webhooks, webhookKind);
    if (given.notifications !== undefined) checkDesired(given.notifications, subscriptionKind);
  } catch (error) {
    configError(`\`${where}\`: ${(error as Error).message.replace(/^\[[^\]]+\] /, "")}`);
  }
  if (
    given.alsoAccepted !== undefined &&
    (!Array.isArray(given.alsoAccepted) || !given.alsoAccepted.every((v) => typeof v === "string"))
  ) {
    configError(`\`${where}.alsoAccepted\` must be a list of strings`);
  }
  return given;
}

function checkIds(ids: unknown, where: string): ReconcileIds | undefined {
  if (ids === undefined) return undefined;
  if (!isRecord(ids)) configError(`\`${where}\` must be { bookings?, orders? }`);
  for (const key of ["bookings", "orders"]) {
    const list = ids[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || !list.every((id) => typeof id === "string" && id !== ""))
    ) {
      configError(`\`${where}.${key}\` must be a list of ids`);
    }
  }
  return ids as ReconcileIds;
}

function checkAvailability(value: unknown, where: string): readonly AvailabilityToReconcile[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) configError(`\`${where}\` must be a list of { productId, optionId?, days? }`);
  value.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.productId !== "string" || entry.productId === "") {
      configError(`\`${where}[${i}].productId\` must be a product id`);
    }
    if (entry.optionId !== undefined && (typeof entry.optionId !== "string" || entry.optionId === "")) {
      configError(`\`${where}[${i}].optionId\` must be an option id`);
    }
    const days = entry.days;
    if (days !== undefined && (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 366)) {
      configError(`\`${where}[${i}].days\` must be a whole number of days from 1 to 366`);
    }
  });
  return value as readonly AvailabilityToReconcile[];
}

function checkWindow(value: unknown): Required<TravelWindow> | false {
  if (value === false) return false;
  if (value === undefined) return DEFAULT_WINDOW;
  if (!isRecord(value))
    configError("`travelWindow` must be { pastDays?, aheadDays?, daysPerList? } or false");
  const window = { ...DEFAULT_WINDOW, ...(value as TravelWindow) };
  for (const key of ["pastDays", "aheadDays"] as const) {
    if (!Number.isInteger(window[key]) || window[key] < 0 || window[key] > 730) {
      configError(`\`travelWindow.${key}\` must be a whole number of days from 0 to 730`);
    }
  }
  if (!Number.isInteger(window.daysPerList) || window.daysPerList < 1 || window.daysPerList > 366) {
    configError("`travelWindow.daysPerList` must be a whole number of days from 1 to 366");
  }
  return window;
}

/** The suppliers of the options, each with what is read or watched there. */
function jobsOf(options: ReconcilerOptions): SupplierJob[] {
  const watch = checkWatch(options.watch, "watch");
  const ids = checkIds(options.ids, "ids");
  const availability = checkAvailability(options.availability, "availability");
  if ((options.client === undefined) === (options.suppliers === undefined)) {
    configError("`createReconciler` takes `client` (one supplier) or `suppliers` (clients by supplier id)");
  }
  if (options.client !== undefined) {
    if (!isClient(options.client)) configError("`client` must be a client made by createOctoClient()");
    if (options.supplier !== undefined && (typeof options.supplier !== "string" || options.supplier === "")) {
      configError("`supplier` must be the supplier's id");
    }
    return [{ supplier: options.supplier, client: options.client, watch, ids, availability }];
  }
  if (options.supplier !== undefined)
    configError("`supplier` goes with `client`; `suppliers` are keyed by id");
  if (!isRecord(options.suppliers) || Object.keys(options.suppliers).length === 0) {
    configError("`suppliers` must be clients by supplier id (at least one)");
  }
  return Object.entries(options.suppliers).map(([supplier, given]) => {
    if (isClient(given)) return { supplier, client: given, watch, ids, availability };
    const entry = given as ReconciledSupplier;
    if (!isRecord(entry) || !isClient(entry.client)) {
      configError(`\`suppliers.${supplier}\` must be a client, or { client, watch?, ids?, availability? }`);
    }
    const where = `suppliers.${supplier}`;
    return {
      supplier,
      client: entry.client,
      watch: entry.watch === undefined ? watch : checkWatch(entry.watch, `${where}.watch`),
      ids: entry.ids === undefined ? ids : checkIds(entry.ids, `${where}.ids`),
      availability:
        entry.availability === undefined
          ? availability
          : checkAvailability(entry.availability, `${where}.availability`),
    };
  });
}

function checkResume(resume: unknown): ReconcileResume | undefined {
  if (resume === undefined) return undefined;
  if (
    !isRecord(resume) ||
    typeof resume.today !== "string" ||
    !DATE.test(resume.today) ||
    !isRecord(resume.suppliers)
  ) {
    configError("`resume` must be a summary's `resume`");
  }
  return resume as unknown as ReconcileResume;
}

const defaultLogger = (): Logger => ({
  warn: (message) => console.warn(message),
  error: (message, fields) => console.error(message, fields?.error ?? ""),
});

/**
 * Reads back what a supplier holds and passes each resource through the receiver, so that what the
 * supplier did not deliver (a receiver down longer than it retries, a dropped delivery, a deleted
 * subscription) reaches the handlers, once: `receiver.receive(body, { source: "reconciliation",
 * supplier })`, whose stale guard skips what was already applied. A run reads the bookings of the
 * travel window (one list read per few days), then one by one the bookings and orders the receiver
 * remembers that the lists did not bring, the ids given, the products (`GET /products`) and the
 * availability asked for; with `watch`, it creates again the registrations the supplier deleted and
 * reports those whose credentials drifted; it warns about suppliers silent for `silentAfterMs` and
 * reconciles them first. Polite: `concurrency` reads at once and `ratePerSecond` a second per supplier,
 * a 429's `Retry-After` waited out; bounded by `maxDurationMs` and resumable.
 *
 * @example
 * ```ts
 * import { createOctoClient, createReconciler } from "@octo-webhooks/client";
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 *
 * const webhooks = createOctoWebhooks({ staleGuard: true, onBookingCancelled: ({ booking }) => console.log(booking.uuid) });
 * const client = createOctoClient({ baseUrl: "https://api.ventrata.com/octo", apiKey: process.env.OCTO_API_KEY! });
 * const reconciler = createReconciler({ receiver: webhooks, client });
 * reconciler.start({ intervalMs: 15 * 60_000 });
 * ```
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  if (!isRecord(options)) configError("`createReconciler` takes an options object");
  const { receiver } = options;
  if (!isRecord(receiver) || typeof receiver.receive !== "function") {
    configError(
      "`receiver` must be a receiver (createOctoWebhooks(), an adapter's, or a queue's receiver())",
    );
  }
  const jobs = jobsOf(options);
  const concurrency = options.concurrency ?? 4;
  positive(concurrency, "concurrency", true);
  const ratePerSecond = options.ratePerSecond ?? 5;
  positive(ratePerSecond, "ratePerSecond", false);
  if (options.maxDurationMs !== undefined) positive(options.maxDurationMs, "maxDurationMs", false);
  if (options.silentAfterMs !== undefined) positive(options.silentAfterMs, "silentAfterMs", false);
  if (options.store !== undefined && typeof options.store?.listStates !== "function") {
    configError("`store` must list its states (`listStates`): the Redis or Postgres store");
  }
  for (const hook of ["onSupplierSilent", "onSummary"] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== "function")
      configError(`\`${hook}\` must be a function`);
  }
  const travelWindow = checkWindow(options.travelWindow);
  const logger = options.logger ?? defaultLogger();
  const warned = new Set<string>();
  const createdAt = Date.now();

  const runOnce = async (runOptions: ReconcileRunOptions): Promise<ReconcileSummary> => {
    const startedAt = Date.now();
    const resume = checkResume(runOptions.resume);
    const maxDurationMs = runOptions.maxDurationMs ?? options.maxDurationMs;
    if (maxDurationMs !== undefined) positive(maxDurationMs, "maxDurationMs", false);
    const deadline = maxDurationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + maxDurationMs;
    const settings: RunSettings = {
      receiver,
      store: options.store,
      travelWindow,
      remembered: options.remembered ?? true,
      products: options.products ?? true,
      concurrency,
      today: resume?.today ?? new Date(startedAt).toISOString().slice(0, 10),
      logger,
      warnOnce: (message, supplier) => {
        if (warned.has(message)) return;
        warned.add(message);
        logger.warn?.(message, { supplier });
      },
    };
    const controller = new AbortController();
    const stop = () => controller.abort();
    const signals = [options.signal, runOptions.signal].filter((s): s is AbortSignal => s !== undefined);
    for (const signal of signals) {
      if (signal.aborted) stop();
      else signal.addEventListener("abort", stop, { once: true });
    }
    const timer = maxDurationMs === undefined ? undefined : setTimeout(stop, maxDurationMs);

    const lastDelivery =
      typeof receiver.lastDelivery === "function" ? receiver.lastDelivery.bind(receiver) : undefined;
    const planned = jobs.map((job) => {
      const last = lastDelivery?.(job.supplier);
      const silentForMs = lastDelivery === undefined ? undefined : startedAt - (last?.getTime() ?? createdAt);
      const silent =
        options.silentAfterMs !== undefined &&
        silentForMs !== undefined &&
        silentForMs >= options.silentAfterMs;
      return { job, last, silentForMs, silent };
    });
    // silent suppliers first (a stable sort)
    planned.sort((a, b) => Number(b.silent) - Number(a.silent));

    const states: Record<string, SupplierResume> = {};
    try {
      const summaries = await Promise.all(
        planned.map(async ({ job, last, silentForMs, silent }) => {
          const key = job.supplier ?? "";
          const summary: SupplierReconcileSummary = {
            supplier: job.supplier,
            checked: 0,
            changed: 0,
            unchanged: 0,
            missing: 0,
            failed: 0,
            reads: 0,
            durationMs: 0,
            complete: true,
            recreated: [],
            drifted: [],
            lastDeliveryAt: last?.toISOString(),
            silentForMs,
            silent,
            errors: [],
          };
          const previous = resume?.suppliers[key];
          // a resumed run leaves the suppliers that were done alone; a silent one is always reconciled
          if (previous?.done && !silent) {
            states[key] = { done: true };
            return summary;
          }
          const state: SupplierResume =
            previous?.done || previous === undefined ? {} : structuredClone(previous);
          states[key] = state;
          const began = Date.now();
          if (silent) {
            const who = job.supplier === undefined ? "the supplier" : `supplier ${job.supplier}`;
            logger.warn?.(
              `${PACKAGE_PREFIX} ${who} has delivered nothing accepted for ${Math.round((silentForMs as number) / 1000)} s (${last === undefined ? "not since this process started" : `last at ${last.toISOString()}`}): reconciled first; check its webhooks (supplierStatus)`,
              { supplier: job.supplier },
            );
            try {
              await options.onSupplierSilent?.(job.supplier, silentForMs as number);
            } catch (error) {
              logger.error?.(`${PACKAGE_PREFIX} onSupplierSilent threw`, { supplier: job.supplier, error });
            }
          }
          const lane = supplierLane({
            ratePerSecond,
            deadline,
            signal: controller.signal,
            logger,
            supplier: job.supplier,
            onRead: () => void summary.reads++,
          });
          try {
            summary.complete = await reconcileSupplier(job, settings, lane, state, summary);
          } catch (error) {
            // a receiver or store that throws what no read could: counted, and the run goes on
            summary.failed++;
            summary.complete = false;
            summary.errors.push(error instanceof Error ? error.message : String(error));
            logger.error?.(`${PACKAGE_PREFIX} reconciliation failed`, { supplier: job.supplier, error });
          }
          summary.durationMs = Date.now() - began;
          if (summary.complete) states[key] = { done: true };
          const who = job.supplier === undefined ? "" : ` of supplier ${job.supplier}`;
          logger.info?.(
            `${PACKAGE_PREFIX} reconciliation${who}: ${summary.checked} checked, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.missing} missing, ${summary.failed} failed, ${summary.reads} reads in ${summary.durationMs} ms${summary.complete ? "" : " (stopped: resume it)"}`,
            { supplier: job.supplier },
          );
          return summary;
        }),
      );
      const total = (field: "checked" | "changed" | "unchanged" | "missing" | "failed" | "reads") =>
        summaries.reduce((sum, s) => sum + s[field], 0);
      const complete = summaries.every((s) => s.complete);
      const summary: ReconcileSummary = {
        startedAt: new Date(startedAt).toISOString(),
        durationMs: Date.now() - startedAt,
        complete,
        checked: total("checked"),
        changed: total("changed"),
        unchanged: total("unchanged"),
        missing: total("missing"),
        failed: total("failed"),
        reads: total("reads"),
        suppliers: summaries,
        resume: complete ? undefined : { today: settings.today, suppliers: states },
      };
      try {
        options.onSummary?.(summary);
      } catch (error) {
        logger.error?.(`${PACKAGE_PREFIX} onSummary threw`, { error });
      }
      return summary;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener("abort", stop);
    }
  };

  let current: Promise<ReconcileSummary> | undefined;
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resumeNext: ReconcileResume | undefined;

  const reconciler: Reconciler = {
    run(runOptions = {}) {
      if (current !== undefined) return current;
      const running = runOnce(runOptions).finally(() => {
        if (current === running) current = undefined;
      });
      current = running;
      return running;
    },
    start({ intervalMs } = { intervalMs: Number.NaN }) {
      positive(intervalMs, "intervalMs", false);
      if (started) configError("the reconciler is started already; stop() it first");
      started = true;
      const tick = async () => {
        timer = undefined;
        const began = Date.now();
        try {
          resumeNext = (await reconciler.run({ resume: resumeNext })).resume;
        } catch (error) {
          logger.error?.(`${PACKAGE_PREFIX} a scheduled reconciliation failed`, { error });
        }
        if (!started) return;
        timer = setTimeout(tick, Math.max(0, intervalMs - (Date.now() - began)));
        // the timer alone never keeps a Node process alive (Workers' timers are numbers)
        (timer as { unref?: () => void }).unref?.();
      };
      void tick();
    },
    async stop() {
      started = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await current?.catch(() => {});
    },
  };
  return reconciler;
}
