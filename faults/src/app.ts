// One process of a scenario: `app.ts <AppOptions as JSON>` (see harness.ts). A receiver (core's handle()
// on node:http, in the default, ack-first, queue (BullMQ) or postgres mode) or a BullMQ or PostgreSQL
// worker. Its effect is idempotent: one HSETNX per delivery key, and when that was the first, one HINCRBY
// per booking uuid, in one Lua call on the effects Redis; every handler run is counted apart
// (`<prefix>:runs`), so re-runs show. Prints READY once it listens or works. On SIGTERM: stops accepting,
// lets in-flight requests and queued work finish within `drainMs`, then exits 0 (or 1 past the deadline).
import { createOctoQueue, createOctoWorker, createRedisStore } from "@octo-webhooks/bullmq";
import { type BookingUpdateEvent, createOctoWebhooks, type HandlerContext } from "@octo-webhooks/core";
import { createPostgresQueue, createPostgresWorker } from "@octo-webhooks/postgres";
import { Redis } from "ioredis";
import type { AppOptions } from "./harness.ts";
import { startSampling } from "./sample.ts";
import { serverFor } from "./servers.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as AppOptions;
const { prefix } = options;
const effects = new Redis(options.effectsUrl);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logger = { warn: () => {}, error: (message: string) => console.error(message) };
const APPLY = `if redis.call('hsetnx', KEYS[1], ARGV[1], 1) == 1 then
  return redis.call('hincrby', KEYS[2], ARGV[2], 1) end return 0`;

async function onBookingUpdate({ booking }: BookingUpdateEvent, { deliveryKey }: HandlerContext) {
  await effects.hincrby(`${prefix}:runs`, booking.uuid, 1);
  await sleep(options.handlerMs); // the CRM call: where a kill lands mid-handler
  await effects.eval(APPLY, 2, `${prefix}:applied-keys`, `${prefix}:effects`, deliveryKey, booking.uuid);
}

const drainMs = options.drainMs ?? 10_000;
if (options.sampleMs !== undefined) startSampling(options.sampleMs);

if (options.role === "worker" && options.mode === "postgres") {
  const worker = createPostgresWorker({
    connection: options.postgresUrl ?? "",
    schema: options.schema ?? "octo_webhooks",
    concurrency: options.concurrency ?? 16,
    lockDurationMs: 1_000,
    logger,
    onBookingUpdate,
  });
  await worker.waitUntilReady();
  console.log("READY");
  process.once("SIGTERM", async () => {
    await worker.close(); // finishes the running jobs
    effects.disconnect();
    process.exit(0);
  });
} else if (options.role === "worker") {
  const worker = createOctoWorker({
    connection: options.redisUrl,
    prefix,
    concurrency: options.concurrency ?? 16,
    lockDurationMs: 1_000,
    logger,
    onBookingUpdate,
  });
  await worker.waitUntilReady();
  console.log("READY");
  process.once("SIGTERM", async () => {
    await worker.close(); // finishes the running jobs
    effects.disconnect();
    process.exit(0);
  });
} else {
  const auth = { basic: { username: "octo", password: "faults-password" } };
  const queue =
    options.mode === "queue"
      ? createOctoQueue({ connection: options.redisUrl, prefix, dedupe: { leaseMs: 2_000 }, logger })
      : options.mode === "postgres"
        ? createPostgresQueue({
            connection: options.postgresUrl ?? "",
            schema: options.schema ?? "octo_webhooks",
            logger,
          })
        : undefined;
  const receiver =
    queue?.receiver({ auth }) ??
    createOctoWebhooks({
      auth,
      logger,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      onBookingUpdate,
      ...(options.dedupe
        ? {
            dedupe: { leaseMs: 2_000 },
            store: createRedisStore({ connection: options.redisUrl, prefix: `${prefix}:store`, logger }),
          }
        : {}),
      ...(options.mode === "ack-first"
        ? { ackFirst: { concurrency: options.concurrency ?? 8, maxQueued: options.maxQueued ?? 100 } }
        : {}),
    });
  const { answerDelayMs } = options;
  // the answer held once handle() resolved (the job committed), for a kill to land in between
  const webhooks =
    answerDelayMs === undefined
      ? receiver
      : {
          ...receiver,
          handle: async (request: Parameters<typeof receiver.handle>[0]) => {
            const answer = await receiver.handle(request);
            await sleep(answerDelayMs);
            return answer;
          },
        };
  const server = await serverFor(options.adapter ?? "node", webhooks);
  let inFlight = 0;
  server.on("request", (_req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
  });
  server.listen(options.port ?? 0, "127.0.0.1", () => {
    const address = server.address();
    console.log(`PORT=${typeof address === "object" && address ? address.port : 0}`);
    console.log("READY");
  });
  // graceful drain: no new connections, in-flight requests answered, ack-first work finished, in time
  process.once("SIGTERM", async () => {
    const deadline = sleep(drainMs).then(() => "deadline" as const);
    server.close();
    server.closeIdleConnections();
    const drained = (async () => {
      while (inFlight > 0) await sleep(10);
      await webhooks.drain();
      await queue?.close();
      return "drained" as const;
    })();
    const outcome = await Promise.race([drained, deadline]);
    console.log(outcome === "drained" ? "DRAINED" : "DEADLINE");
    effects.disconnect();
    process.exit(outcome === "drained" ? 0 : 1);
  });
}
