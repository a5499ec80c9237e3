// One receiver process of the scale benchmark:
// `scale-receiver.ts <url> <prefix or schema> <queue> <queue|plain> <bullmq|postgres> <ordering on|off>`.
// Core's handle() on node:http with the queue's receiver (@octo-webhooks/bullmq's on Redis, or
// @octo-webhooks/postgres's on PostgreSQL); prints `PORT=<n>`; closes cleanly on SIGTERM.
// `plain` (bench:scale --receiver=plain): core's handle() with one handler that does nothing and no
// queue, the floor of a receiver's CPU under the same load (HTTP, a connection per delivery, auth, parse).
import { createOctoQueue } from "@octo-webhooks/bullmq";
import { createOctoWebhooks } from "@octo-webhooks/core";
import { createPostgresQueue } from "@octo-webhooks/postgres";
import { startReceiver } from "@octo-webhooks/testing";
import { PASS, USER } from "./constants.ts";

const [url = "", prefix = "", name = "", mode = "queue", engine = "bullmq", ordering = "off"] =
  process.argv.slice(2);
const logger = { error: (message: string) => console.error(message) };
const auth = { basic: { username: USER, password: PASS } };
const ordered = ordering === "on";
const queue =
  mode === "plain"
    ? undefined
    : engine === "postgres"
      ? createPostgresQueue({ connection: url, schema: prefix, name, logger, ordering: ordered })
      : createOctoQueue({
          connection: url,
          prefix,
          name,
          backoffMs: 50,
          logger,
          ordering: ordered ? "resource" : "none",
        });
const receiver = await startReceiver(
  queue === undefined
    ? createOctoWebhooks({ auth, logger, onBookingUpdate: () => {} })
    : queue.receiver({ auth }),
);
console.log(`PORT=${receiver.port}`);
process.once("SIGTERM", async () => {
  await receiver.close();
  await queue?.close();
});
