// One receiver process of the scale benchmark: `scale-receiver.ts <redisUrl> <prefix> <queue>`.
// Core's handle() on node:http with the queue's receiver; prints `PORT=<n>`; closes cleanly on SIGTERM.
import { createOctoQueue } from "@octo-webhooks/bullmq";
import { startReceiver } from "@octo-webhooks/testing";
import { PASS, USER } from "./constants.ts";

const [url = "", prefix = "", name = ""] = process.argv.slice(2);
const logger = { error: (message: string) => console.error(message) };
const queue = createOctoQueue({ connection: url, prefix, name, backoffMs: 50, logger });
const receiver = await startReceiver(queue.receiver({ auth: { basic: { username: USER, password: PASS } } }));
console.log(`PORT=${receiver.port}`);
process.once("SIGTERM", async () => {
  await receiver.close();
  await queue.close();
});
