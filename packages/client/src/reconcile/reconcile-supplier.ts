// One supplier's part of a reconciliation run, in phases: the watchdog; the bookings of each travel
// window (one list read per few days); then, one by one in a stable order, what the lists did not bring
// (remembered and given bookings, orders), the products and the availability asked for. Each resource
// goes through `receiver.receive(body, { source: "reconciliation", supplier })`. What was done is kept in
// `state` so that a stopped run resumes where it was.
import type { Logger } from "@octo-webhooks/core";
import { OctoClientError, PACKAGE_PREFIX } from "../errors.ts";
import { isNotFound } from "../reads/hydrators.ts";
import { rememberedIds } from "./remembered-ids.ts";
import { inPool, Stop, type SupplierLane } from "./supplier-lane.ts";
import type {
  AvailabilityToReconcile,
  ReconciledClient,
  ReconciledReceiver,
  ReconcileIds,
  StateListing,
  SupplierReconcileSummary,
  SupplierResume,
  TravelWindow,
  WatchedRegistrations,
} from "./types.ts";
import { watchRegistrations } from "./watchdog.ts";

/** The most failure messages a supplier's summary keeps. */
const MAX_ERRORS = 10;

/** One supplier's settings for a run. */
export interface SupplierJob {
  supplier: string | undefined;
  client: ReconciledClient;
  watch: WatchedRegistrations | undefined;
  ids: ReconcileIds | undefined;
  availability: readonly AvailabilityToReconcile[] | undefined;
}

/** The run's settings every supplier shares. */
export interface RunSettings {
  receiver: ReconciledReceiver;
  store: StateListing | undefined;
  travelWindow: Required<TravelWindow> | false;
  remembered: boolean;
  products: boolean;
  concurrency: number;
  /** The run's date (UTC), `YYYY-MM-DD`. */
  today: string;
  logger: Logger;
  /** Warns once in the reconciler's life. */
  warnOnce(message: string, supplier: string | undefined): void;
}

/** `date` (`YYYY-MM-DD`) plus `days`. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

interface Window {
  start: string;
  end: string;
  days: number;
}

/** The travel windows of a run: `daysPerList` days each, from `today - pastDays` to `today + aheadDays`. */
function travelWindows(today: string, window: Required<TravelWindow>): Window[] {
  const windows: Window[] = [];
  const total = window.pastDays + window.aheadDays + 1;
  for (let offset = 0; offset < total; offset += window.daysPerList) {
    const days = Math.min(window.daysPerList, total - offset);
    const start = addDays(today, offset - window.pastDays);
    windows.push({ start, end: addDays(start, days - 1), days });
  }
  return windows;
}

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/^\[@octo-webhooks\/[a-z-]+\] /, "");

const tooLarge = (error: unknown) => error instanceof OctoClientError && error.code === "RESPONSE_TOO_LARGE";

/**
 * Reconciles one supplier into `summary`, recording progress in `state`; resolves whether it finished
 * (`false`: stopped, resumable from `state`).
 */
export async function reconcileSupplier(
  job: SupplierJob,
  run: RunSettings,
  lane: SupplierLane,
  state: SupplierResume,
  summary: SupplierReconcileSummary,
): Promise<boolean> {
  const { supplier, client } = job;
  const { receiver, logger } = run;
  const shown = supplier === undefined ? "" : ` (supplier ${supplier})`;
  const fail = (what: string, error: unknown) => {
    summary.failed++;
    const message = `${what}: ${messageOf(error)}`;
    if (summary.errors.length < MAX_ERRORS) {
      summary.errors.push(message);
      logger.warn?.(`${PACKAGE_PREFIX} reconciliation${shown}: ${message}`, { supplier });
    }
  };
  const receiveOptions = {
    source: "reconciliation" as const,
    ...(supplier === undefined ? {} : { supplier }),
  };
  /** Passes one resource through the receiver, counting what became of it. */
  const apply = async (body: Record<string, unknown>, what: string) => {
    summary.checked++;
    try {
      const result = await receiver.receive(body, receiveOptions);
      if (result.skipped === undefined) summary.changed++;
      else summary.unchanged++;
    } catch (error) {
      fail(what, error);
    }
  };
  /**
   * A read through the lane: `undefined` when it failed (counted as failed, or as missing when the
   * supplier says a resource read by its id does not exist); a `Stop` is thrown on.
   */
  const read = async <T>(
    what: string,
    call: (signal: AbortSignal) => Promise<T>,
    byId = false,
  ): Promise<T | undefined> => {
    try {
      return await lane.read(call);
    } catch (error) {
      if (error instanceof Stop) throw error;
      if (byId && isNotFound(error)) summary.missing++;
      else fail(what, error);
      return undefined;
    }
  };
  const listed = new Set(state.listed ?? []);

  try {
    if (job.watch !== undefined && !state.watched) {
      try {
        const outcome = await watchRegistrations(client, job.watch, lane, { logger, supplier });
        summary.recreated.push(...outcome.recreated);
        summary.drifted.push(...outcome.drifted);
      } catch (error) {
        if (error instanceof Stop) throw error;
        fail("watching the registrations", error);
      }
      state.watched = true;
    }

    if (run.travelWindow !== false) {
      state.windows ??= [];
      const windowsDone = state.windows;
      const done = new Set(windowsDone);
      const windows = travelWindows(run.today, run.travelWindow).filter((w) => !done.has(w.start));
      /** One window's bookings; a page too large is read again as two halves. */
      const list = async (window: Window): Promise<void> => {
        let bookings: Array<Record<string, unknown>>;
        try {
          bookings = await lane.read((signal) =>
            client.bookings.list({ localDateStart: window.start, localDateEnd: window.end }, { signal }),
          );
        } catch (error) {
          if (error instanceof Stop) throw error;
          if (tooLarge(error) && window.days > 1) {
            const half = Math.floor(window.days / 2);
            const middle = addDays(window.start, half);
            await list({ start: window.start, end: addDays(middle, -1), days: half });
            await list({ start: middle, end: window.end, days: window.days - half });
            return;
          }
          // its remembered bookings are read one by one instead
          fail(`GET /bookings ${window.start}..${window.end}`, error);
          return;
        }
        for (const booking of bookings) {
          if (lane.stopped) throw new Stop("stopped");
          const uuid = typeof booking.uuid === "string" ? booking.uuid : undefined;
          await apply({ booking }, `booking ${uuid ?? "(no uuid)"}`);
          if (uuid !== undefined) listed.add(uuid);
        }
      };
      try {
        await inPool(windows, run.concurrency, async (window) => {
          await list(window);
          windowsDone.push(window.start);
        });
      } finally {
        state.listed = [...listed];
      }
    }

    const keys = new Set<string>();
    job.availability?.forEach((_, i) => void keys.add(`a:${String(i).padStart(6, "0")}`));
    const addBooking = (uuid: string) => {
      if (!listed.has(uuid)) keys.add(`b:${uuid}`);
    };
    for (const uuid of job.ids?.bookings ?? []) addBooking(uuid);
    for (const id of job.ids?.orders ?? []) keys.add(`o:${id}`);
    if (run.remembered) await collectRemembered(run, supplier, addBooking, (id) => keys.add(`o:${id}`), fail);
    if (run.products) keys.add("p:");
    const after = state.after;
    const pending = [...keys].sort().filter((key) => after === undefined || key > after);
    // every key before the first one not done was done: the resume point
    const finished = pending.map(() => false);
    let low = 0;
    await inPool(
      pending,
      run.concurrency,
      async (key) => {
        const id = key.slice(2);
        switch (key[0]) {
          case "b": {
            const booking = await read(
              `GET /bookings/${id}`,
              (signal) => client.bookings.get(id, { signal }),
              true,
            );
            if (booking !== undefined) await apply({ booking }, `booking ${id}`);
            return;
          }
          case "o": {
            const order = await read(
              `GET /orders/${id}`,
              (signal) => client.orders.get(id, { signal }),
              true,
            );
            if (order !== undefined) await apply({ order }, `order ${id}`);
            return;
          }
          case "p": {
            const products = await read("GET /products", (signal) => client.products.list({ signal }));
            for (const product of products ?? []) {
              if (lane.stopped) throw new Stop("stopped");
              await apply({ product }, `product ${String(product.id)}`);
            }
            return;
          }
          default: {
            const asked = job.availability?.[Number(id)] as AvailabilityToReconcile;
            const { productId, optionId } = asked;
            const query = {
              productId,
              ...(optionId === undefined ? {} : { optionId }),
              localDateStart: run.today,
              localDateEnd: addDays(run.today, (asked.days ?? 7) - 1),
            };
            const slots = await read(`POST /availability ${productId}`, (signal) =>
              client.availability.check(query, { signal }),
            );
            for (const availability of slots ?? []) {
              if (lane.stopped) throw new Stop("stopped");
              await apply(
                { availability, productId, ...(optionId === undefined ? {} : { optionId }) },
                `availability ${productId}`,
              );
            }
          }
        }
      },
      (index) => {
        finished[index] = true;
        while (finished[low]) low++;
        if (low > 0) state.after = pending[low - 1] as string;
      },
    );
    state.done = true;
    return true;
  } catch (error) {
    if (error instanceof Stop) return false;
    throw error;
  }
}

/** The remembered bookings and orders of `supplier`, each handed to `booking` or `order`. */
async function collectRemembered(
  run: RunSettings,
  supplier: string | undefined,
  booking: (id: string) => void,
  order: (id: string) => void,
  fail: (what: string, error: unknown) => void,
): Promise<void> {
  for (const [resource, add] of [
    ["booking", booking],
    ["order", order],
  ] as const) {
    const ids = rememberedIds(run.receiver, run.store, resource, supplier);
    if (ids === undefined) return;
    try {
      for await (const id of ids) add(id);
    } catch (error) {
      if ((error as { code?: unknown }).code === "CONFIG_INVALID") {
        run.warnOnce(
          `${PACKAGE_PREFIX} reconciliation: the receiver remembers nothing it applied (${messageOf(error)}); the bookings outside the travel window are not read back, and without \`staleGuard\` every booking read reaches the handlers at every run. Give the receiver \`staleGuard\` (a queue's receiver: give the reconciler the workers' \`store\`)`,
          supplier,
        );
        return;
      }
      fail(`listing the remembered ${resource}s`, error);
    }
  }
}
