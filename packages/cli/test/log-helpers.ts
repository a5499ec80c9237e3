// A delivery log in a real Redis, written by a real receiver (core on a node:http server, its `log` the
// Redis log of @octo-webhooks/bullmq), for the tests of `deliveries` and `inspect`.
import { randomBytes } from "node:crypto";
import { createRedisLog, type RedisLog } from "@octo-webhooks/bullmq";
import { redactUrl } from "@octo-webhooks/client";
import { createOctoWebhooks, type DeliveryLogEntry } from "@octo-webhooks/core";
import { basic, serve } from "@octo-webhooks/test-helpers";
// the `redisUrl` the global setup provides (its `ProvidedContext` declaration)
import type {} from "@octo-webhooks/test-helpers/redis-setup";
import { availabilityUpdate, bookingLifecycle, bookingUpdate } from "@octo-webhooks/testing";
import { describe, inject } from "vitest";

/** The Redis the tests run against (see @octo-webhooks/test-helpers/redis-setup), or `""` without one. */
export const redisUrl = inject("redisUrl");

/** The store's URL as the CLI shows it (credentials masked). */
export const shownStore = redactUrl(redisUrl || "redis://none");

/** `describe` for tests that need Redis: skipped without one (the Redis setup has printed why). */
export const describeWithRedis = describe.skipIf(redisUrl === "");

export const PEEK_PASSWORD = "peek-log-s3cret-41";
export const BOKUN_PASSWORD = "bokun-log-s3cret-42";
/** A resource id with terminal escapes in it (OSC title, C1 CSI): printed escaped, never as is. */
export const EVIL_ID = "evil-\u001b]0;pwned\u0007-\u009b2J";

/** Polls until `check` returns something other than `undefined`/`false`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every entry of `log`, newest first. */
export async function allEntries(log: Pick<RedisLog, "list">): Promise<DeliveryLogEntry[]> {
  const found: DeliveryLogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await log.list(undefined, { cursor, limit: 1000 });
    found.push(...page.entries);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found;
}

/** A receiver on core logging to Redis under a prefix of its own: `/webhooks/octo/<supplier>`. */
export async function loggedReceiver() {
  const prefix = `octo-cli-test-${randomBytes(4).toString("hex")}`;
  // the keys expire by themselves (a shared OCTO_REDIS_URL keeps nothing of the tests for long)
  const log = createRedisLog({ connection: redisUrl, prefix, maxAgeMs: 60 * 60_000, logger: {} });
  const handled: Array<{ event: string; id: string; replay: string | undefined }> = [];
  let failingOnce = new Set<string>();
  let availabilityDown = true;
  const webhooks = createOctoWebhooks({
    logger: {},
    suppliers: {
      peek: { auth: { basic: { username: "octo", password: PEEK_PASSWORD } } },
      bokun: { auth: { basic: { username: "bokun", password: BOKUN_PASSWORD } } },
    },
    dedupe: true,
    log,
    onBookingUpdate: ({ booking }, context) => {
      if (failingOnce.delete(booking.uuid)) throw new Error(`database timeout for ${booking.uuid}`);
      handled.push({
        event: "booking_update",
        id: booking.uuid,
        replay: context.headers.get("octo-webhooks-replay") ?? undefined,
      });
    },
    onAvailabilityUpdate: ({ availability }, context) => {
      if (availabilityDown) throw new Error("inventory service down");
      handled.push({
        event: "availability_update",
        id: availability.id,
        replay: context.headers.get("octo-webhooks-replay") ?? undefined,
      });
    },
  });
  const server = await serve((req, res) => {
    const supplier = (req.url ?? "").split("/").at(-1);
    webhooks
      .handle({ method: req.method ?? "", headers: req.headers, body: req, supplier })
      .then((answer) => res.writeHead(answer.status, answer.headers).end(answer.body));
  });
  const url = (supplier: string) => `${server.origin}/webhooks/octo/${supplier}`;
  return {
    prefix,
    log,
    handled,
    url,
    /** The next delivery of booking `uuid` fails (500). */
    failOnce(uuid: string) {
      failingOnce = new Set([...failingOnce, uuid]);
    },
    /** From now on, availability updates are handled. */
    availabilityUp() {
      availabilityDown = false;
    },
    async close() {
      await server.close();
      await log.close();
    },
  };
}

export type LoggedReceiver = Awaited<ReturnType<typeof loggedReceiver>>;

/** POSTs `body` to the receiver as `supplier` with Basic credentials; resolves with the status. */
async function post(url: string, body: unknown, username: string, password: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: basic(username, password),
      "x-request-id": `req-${randomBytes(3).toString("hex")}`,
    },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/**
 * The deliveries the tests read, in this order: booking B's lifecycle from peek (ON_HOLD; CONFIRMED with
 * its diff; CANCELLED without one), booking F from peek failing once then handled (two attempts of one
 * delivery), an availability update from bokun whose handler fails, a refusal (peek's path, wrong
 * password), and a booking from peek whose id and notes carry terminal escapes.
 */
export async function writeLog(receiver: LoggedReceiver) {
  const [onHold, confirmed, , cancelledWithDiff] = bookingLifecycle({ seed: "cli-log-b" });
  const { diff: _diff, ...cancelled } = cancelledWithDiff;
  const booking = onHold.booking.uuid;
  const failing = bookingUpdate({ seed: "cli-log-f", diff: null });
  const slot = availabilityUpdate({ seed: "cli-log-a", vacancies: 3 });
  const evil = bookingUpdate({ seed: "cli-log-e", booking: { uuid: EVIL_ID, notes: "\u001b[2Jcleared" } });
  const peek = (body: unknown, password = PEEK_PASSWORD) =>
    post(receiver.url("peek"), body, "octo", password);
  const statuses = [await peek(onHold), await peek(confirmed), await peek(cancelled)];
  receiver.failOnce(failing.booking.uuid);
  statuses.push(await peek(failing), await peek(failing));
  statuses.push(await post(receiver.url("bokun"), slot, "bokun", BOKUN_PASSWORD));
  statuses.push(await peek(bookingUpdate({ seed: "cli-log-r" }), "wrong-password"));
  statuses.push(await peek(evil));
  // the receiver appends after answering: wait for every entry
  const entries = await waitFor(async () => {
    const found = await allEntries(receiver.log);
    return found.length === 8 && found;
  }, "8 log entries");
  const byResource = (id: string) => entries.filter((e) => e.resourceId === id).reverse();
  const [onHoldEntry, confirmedEntry, cancelledEntry] = byResource(booking);
  const [failedEntry, retriedEntry] = byResource(failing.booking.uuid);
  return {
    statuses,
    entries,
    booking,
    failingBooking: failing.booking.uuid,
    slot: slot.availability.id,
    ids: {
      onHold: onHoldEntry?.id as string,
      confirmed: confirmedEntry?.id as string,
      cancelled: cancelledEntry?.id as string,
      failed: failedEntry?.id as string,
      retried: retriedEntry?.id as string,
      availability: byResource(slot.availability.id)[0]?.id as string,
      refused: entries.find((e) => e.status === 401)?.id as string,
      evil: byResource(EVIL_ID)[0]?.id as string,
    },
  };
}

export type WrittenLog = Awaited<ReturnType<typeof writeLog>>;
