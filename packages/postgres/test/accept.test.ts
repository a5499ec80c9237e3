// The accept path: a delivery is answered 200 only once its job is committed (claimed and enqueued in one
// statement, so both or neither), 503 + Retry-After when PostgreSQL is gone or slower than `timeoutMs`,
// and exactly one job however many copies arrive at once on however many receivers.
import { createServer } from "node:http";
import { deliveryKey } from "@octo-webhooks/core";
import { octoWebhooks } from "@octo-webhooks/express";
import { closeServer, listen } from "@octo-webhooks/test-helpers";
import { tcpProxy } from "@octo-webhooks/test-helpers/tcp-proxy";
import { bookingUpdate, sendWebhook } from "@octo-webhooks/testing";
import express from "express";
import pg from "pg";
import { expect, it } from "vitest";
import { jobIdOf } from "../src/index.ts";
import { describeWithPostgres, postgresUrl, sql } from "./helpers.ts";
import { auth, credentials, queueTests } from "./setup.ts";

const t = queueTests();

/** The claim of `key` in the queue's namespace, as another connection sees it. */
const claimOf = (queue: { name: string }, key: string) =>
  sql(`select done from "${t.ns.schema}".claims where namespace = $1 and key = $2`, [
    `queue:${queue.name}`,
    key,
  ]);

/** A real Express server answering with `queue.receiver({ auth })`. */
async function expressReceiver(queue: Parameters<typeof t.receiver>[0], logger?: object) {
  const app = express();
  app.use(
    octoWebhooks({
      path: "/webhooks/octo",
      webhooks: queue.receiver({ auth, ...(logger ? { logger } : {}) }),
    }),
  );
  const server = createServer(app);
  const port = await listen(server);
  t.closeLater(() => closeServer(server));
  return `http://127.0.0.1:${port}/webhooks/octo`;
}

describeWithPostgres("the accept path", () => {
  it("answers 200 only once the job and the claim are committed, and a duplicate makes no second job", async () => {
    const queue = t.queue();
    const url = await expressReceiver(queue);
    for (const seed of ["first", "second", "third"]) {
      const body = bookingUpdate({ seed });
      const answer = await sendWebhook(url, body, credentials);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ ok: true });
      // at the moment of the 200, another connection already sees both
      const jobs = await t.jobs(queue);
      expect(jobs.map((job) => job.key)).toContain(jobIdOf(deliveryKey(body)));
      expect(await claimOf(queue, deliveryKey(body))).toEqual([{ done: true }]);
    }
    const again = await sendWebhook(url, bookingUpdate({ seed: "first" }), credentials);
    expect(again.status).toBe(200);
    expect(again.json()).toEqual({ ok: true, duplicate: true });
    expect(await t.jobs(queue)).toHaveLength(3);
  });

  it("claims and enqueues in one transaction: when the job cannot be added, no claim is left and the retry enqueues", async () => {
    const queue = t.queue();
    const receiver = await t.receiver(queue);
    const warmUp = await sendWebhook(receiver.url, bookingUpdate({ seed: "warm-up" }), credentials);
    expect(warmUp.status).toBe(200);
    // graphile-worker refuses the job (a trigger of this test's): the claim made before it must go too
    const jobs = `"${t.ns.jobs}"._private_jobs`;
    await sql(`create function "${t.ns.jobs}".refuse() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test'; end $$`);
    await sql(
      `create trigger refuse before insert on ${jobs} for each row execute function "${t.ns.jobs}".refuse()`,
    );
    const body = bookingUpdate({ seed: "refused-once" });
    try {
      const refused = await sendWebhook(receiver.url, body, credentials);
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBeDefined();
      expect(await claimOf(queue, deliveryKey(body))).toEqual([]);
    } finally {
      await sql(`drop trigger refuse on ${jobs}`);
    }
    const retried = await sendWebhook(receiver.url, body, credentials);
    expect(retried.json()).toEqual({ ok: true });
    expect((await t.jobs(queue)).filter((job) => job.key === jobIdOf(deliveryKey(body)))).toHaveLength(1);
  });

  it("answers 503 + Retry-After when PostgreSQL is slower than timeoutMs, and enqueues nothing behind the sender's back", async () => {
    const queue = t.queue({ timeoutMs: 400 });
    const receiver = await t.receiver(queue);
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "warm" }), credentials)).status).toBe(200);
    // another transaction holds the claims table for a while: every accept waits on it
    const holder = new pg.Client({ connectionString: postgresUrl });
    await holder.connect();
    const body = bookingUpdate({ seed: "slow" });
    try {
      await holder.query("begin");
      await holder.query(`lock table "${t.ns.schema}".claims in access exclusive mode`);
      const started = Date.now();
      const answer = await sendWebhook(receiver.url, body, credentials);
      expect(answer.status).toBe(503);
      expect(answer.headers["retry-after"]).toBeDefined();
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 600)); // past the server's statement timeout too
    } finally {
      await holder.query("commit");
      await holder.end();
    }
    expect(await claimOf(queue, deliveryKey(body))).toEqual([]);
    expect((await t.jobs(queue)).map((job) => job.key)).not.toContain(jobIdOf(deliveryKey(body)));
    const retried = await sendWebhook(receiver.url, body, credentials);
    expect(retried.json()).toEqual({ ok: true });
    expect((await t.jobs(queue)).map((job) => job.key)).toContain(jobIdOf(deliveryKey(body)));
  });

  it("answers 503 + Retry-After while PostgreSQL is down, and the retry is enqueued once it is back", async () => {
    const target = new URL(postgresUrl);
    const proxy = await tcpProxy(Number(target.port), target.hostname);
    t.closeLater(() => proxy.close());
    target.port = String(proxy.port);
    const queue = t.queue({ connection: target.href, timeoutMs: 500 });
    const receiver = await t.receiver(queue);
    expect((await sendWebhook(receiver.url, bookingUpdate({ seed: "before" }), credentials)).status).toBe(
      200,
    );
    await proxy.cut();
    const body = bookingUpdate({ seed: "during-outage" });
    for (let i = 0; i < 3; i++) {
      const answer = await sendWebhook(receiver.url, body, credentials);
      expect(answer.status).toBe(503);
      expect(answer.headers["retry-after"]).toBeDefined();
    }
    expect(await claimOf(queue, deliveryKey(body))).toEqual([]);
    await proxy.restore();
    const retried = await sendWebhook(receiver.url, body, credentials);
    expect(retried.json()).toEqual({ ok: true });
    expect((await t.jobs(queue)).filter((job) => job.key === jobIdOf(deliveryKey(body)))).toHaveLength(1);
  });

  it("makes one job of identical deliveries arriving at once on two receivers (two pools)", async () => {
    const first = t.queue();
    const second = t.queue({ name: first.name });
    const urls = [await expressReceiver(first), await expressReceiver(second)];
    const bodies = Array.from({ length: 10 }, (_, i) => bookingUpdate({ seed: `together-${i}` }));
    const answers = await Promise.all(
      bodies.flatMap((body) =>
        Array.from({ length: 6 }, (_, copy) => sendWebhook(urls[copy % 2] as string, body, credentials)),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(
      answers.filter((answer) => answer.json<{ duplicate?: boolean }>().duplicate === true),
    ).toHaveLength(50);
    const keys = (await t.jobs(first)).map((job) => job.key).sort();
    expect(keys).toEqual(bodies.map((body) => jobIdOf(deliveryKey(body))).sort());
  });

  it("with ordering, puts the updates of one resource in one named queue, different resources apart", async () => {
    const queue = t.queue({ ordering: true });
    const receiver = await t.receiver(queue);
    const uuid = "7d0f1b6e-3f6e-4c1a-9d8b-000000000001";
    for (const notes of ["a", "b"]) {
      await sendWebhook(receiver.url, bookingUpdate({ seed: "same", booking: { uuid, notes } }), credentials);
    }
    const others = Array.from({ length: 8 }, (_, i) => bookingUpdate({ seed: `other-${i}` }));
    for (const body of others) await sendWebhook(receiver.url, body, credentials);
    const jobs = await t.jobs(queue);
    expect(jobs).toHaveLength(10);
    expect(jobs[0]?.queue_name).toMatch(new RegExp(`^${queue.name}:\\d+$`));
    expect(jobs[1]?.queue_name).toBe(jobs[0]?.queue_name);
    expect(new Set(jobs.map((job) => job.queue_name)).size).toBeGreaterThan(5);

    const unordered = t.queue();
    const plain = await t.receiver(unordered);
    await sendWebhook(plain.url, bookingUpdate({ seed: "unordered" }), credentials);
    expect((await t.jobs(unordered)).map((job) => job.queue_name)).toEqual([null]);
  });

  it("refuses receiver options that belong elsewhere, with a message that says where", () => {
    const queue = t.queue();
    expect(() => queue.receiver({ onBookingUpdate: () => {} } as never)).toThrow(
      /^\[@octo-webhooks\/postgres\] receiver\(\) does not take `onBookingUpdate`: handlers and `staleGuard` belong to createPostgresWorker\(\)/,
    );
    expect(() => queue.receiver({ ackFirst: true } as never)).toThrow(/`ackFirst`/);
    expect(() => t.queue({ attempts: 0 })).toThrow(/`attempts` must be a positive integer/);
    expect(() => t.queue({ name: "a b" })).toThrow(/`name` must be/);
    expect(() => t.queue({ forwardHeaders: ["authorization"] })).toThrow(
      /credentials must not be stored in PostgreSQL/,
    );
  });
});
