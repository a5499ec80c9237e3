import { spawn } from "node:child_process";
import { join } from "node:path";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import { expect, it } from "vitest";
import { describeWithRedis, redisUrl, waitFor } from "./helpers.ts";
import { credentials, queueTests } from "./setup.ts";

const t = queueTests();
const root = join(import.meta.dirname, "../../..");

describeWithRedis("close()", () => {
  it("leaves no open handle: a process that used queue, receiver, worker and store exits on its own", async () => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@octo-webhooks/source",
        "--import",
        "tsx",
        join(import.meta.dirname, "fixtures/close-exits.ts"),
        redisUrl,
        t.ns.prefix,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(output).toContain("closed");
    expect(output).not.toContain("still open");
    expect(code).toBe(0);
  });

  it("waits for the running jobs of a worker to finish before resolving", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    let started = false;
    let finished = false;
    const worker = t.worker(queue, {
      onBookingUpdate: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
    });
    await sendWebhook(receiver.url, bookingUpdate({ seed: "graceful" }), credentials);
    await waitFor(() => started, "the handler to start");
    await worker.close();
    expect(finished).toBe(true);
    expect(await queue.queue.getJobCounts("completed", "active", "waiting")).toEqual({
      completed: 1,
      active: 0,
      waiting: 0,
    });
    await worker.close(); // a second close is a no-op
  });
});
