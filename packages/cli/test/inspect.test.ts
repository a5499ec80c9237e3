// `octo-webhooks inspect`: the inspector's page and API over a real delivery log (Redis, written by a
// real receiver): the list with the filters of `deliveries list`, one entry whole with its attempts and
// changes, read-only unless started with --allow-replay; loopback Host (and Origin for changes) checked
// on every route before anything else.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, start } from "./helpers.ts";
import {
  BOKUN_PASSWORD,
  describeWithRedis,
  type LoggedReceiver,
  loggedReceiver,
  PEEK_PASSWORD,
  redisUrl,
  shownStore,
  type WrittenLog,
  writeLog,
} from "./log-helpers.ts";

interface Answer {
  status: number;
  body: string;
}

/** One request with exactly these headers (fetch would not send another Host). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const { port } = new URL(url);
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describeWithRedis("octo-webhooks inspect", () => {
  let receiver: LoggedReceiver;
  let written: WrittenLog;
  let store: string[];
  beforeAll(async () => {
    receiver = await loggedReceiver();
    written = await writeLog(receiver);
    store = ["--redis", redisUrl, "--prefix", receiver.prefix];
  });
  afterAll(async () => {
    await receiver?.close();
  });

  async function inspect(...args: string[]) {
    const running = start(["inspect", ...store, "--port", "0", ...args]);
    const [, url] = await running.waitFor(/Inspector on (http:\/\/\S+)[\s\S]*Ctrl-C stops\./);
    const api = async (path: string, init?: RequestInit) => {
      const response = await fetch(new URL(path, url), init);
      return { status: response.status, value: await response.json() };
    };
    return { running, url: url as string, api };
  }

  it("serves the log's page and API, read-only: list, filters, one entry whole with its changes", async () => {
    const { running, url, api } = await inspect();
    expect(running.stdout).toContain(`the delivery log at ${shownStore}`);
    expect(running.stdout).toContain("read-only");
    const page = await fetch(url);
    expect(await page.text()).toContain('<div id="app" data-mode="log">');

    expect((await api("/api/state")).value).toEqual({
      mode: "log",
      store: shownStore,
      allowReplay: false,
      outcomes: ["handled", "accepted", "duplicate", "stale", "unchanged", "notFound", "refused", "failed"],
    });
    const all = (await api("/api/log")).value;
    expect(all.entries).toHaveLength(8);
    expect(all.entries[0]).not.toHaveProperty("body");
    expect(all.entries[0]).not.toHaveProperty("headers");
    const booking = (await api(`/api/log?resource=${written.booking}&supplier=peek`)).value;
    expect(booking.entries.map((e: { id: string }) => e.id)).toEqual([
      written.ids.cancelled,
      written.ids.confirmed,
      written.ids.onHold,
    ]);
    expect((await api("/api/log?outcome=failed&status=500")).value.entries).toHaveLength(2);
    expect((await api("/api/log?since=1h&limit=2")).value).toMatchObject({
      entries: [{}, {}],
      cursor: expect.any(String),
    });
    expect(await api("/api/log?outcome=gone")).toMatchObject({ status: 400 });
    expect(await api("/api/log?status=abc")).toMatchObject({ status: 400 });

    const cancelled = (await api(`/api/log/${written.ids.cancelled}`)).value;
    expect(cancelled.entry).toMatchObject({
      id: written.ids.cancelled,
      supplier: "peek",
      status: 200,
      outcome: "handled",
      headers: { authorization: "[REDACTED]" },
      handlers: [{ event: "booking_update", ok: true }],
      body: { booking: { uuid: written.booking, status: "CANCELLED" } },
    });
    expect(cancelled.attempts.map((a: { id: string }) => a.id)).toEqual([written.ids.cancelled]);
    expect(cancelled.changes).toMatchObject({ from: "previous", previous: { id: written.ids.confirmed } });
    expect(cancelled.changes.rows).toContainEqual({
      op: "replace",
      path: "/status",
      was: "CONFIRMED",
      now: "CANCELLED",
    });
    const confirmed = (await api(`/api/log/${written.ids.confirmed}`)).value;
    expect(confirmed.changes.from).toBe("diff");
    expect(confirmed.changes.rows).toContainEqual({
      op: "replace",
      path: "/status",
      was: "ON_HOLD",
      now: "CONFIRMED",
    });
    const failed = (await api(`/api/log/${written.ids.failed}`)).value;
    expect(failed.attempts.map((a: { id: string; attempt: number }) => [a.id, a.attempt])).toEqual([
      [written.ids.failed, 1],
      [written.ids.retried, 2],
    ]);
    expect(failed.entry.handlers[0].error).toContain("database timeout");
    expect(await api("/api/log/no-such-entry")).toMatchObject({ status: 404 });

    // read-only: the page cannot replay, and nothing reaches the receiver
    const before = receiver.handled.length;
    const replay = await api(`/api/log/${written.ids.availability}/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(replay).toEqual({
      status: 403,
      value: {
        error: "read-only: start `octo-webhooks inspect` with --allow-replay --to <receiver> to replay",
      },
    });
    expect(receiver.handled.length).toBe(before);
    expect(await running.stop()).toBe(0);
  });

  it("answers a foreign Host only 403 on every route, and a foreign Origin cannot replay", async () => {
    const { url } = await inspect(
      "--allow-replay",
      "--to",
      receiver.url("peek"),
      "--user",
      "octo",
      "--pass",
      PEEK_PASSWORD,
    );
    const port = new URL(url).port;
    const json = { "content-type": "application/json" };
    const routes: Array<[string, string, Record<string, string>, string?]> = [
      ["GET", "/", {}],
      ["GET", "/assets/inspector.js", {}],
      ["GET", "/assets/inspector.css", {}],
      ["GET", "/api/state", {}],
      ["GET", "/api/log", {}],
      ["GET", `/api/log?resource=${written.booking}`, {}],
      ["GET", `/api/log/${written.ids.cancelled}`, {}],
      ["POST", `/api/log/${written.ids.onHold}/replay`, json, "{}"],
      ["GET", "/nothing-here", {}],
    ];
    const before = receiver.handled.length;
    for (const foreignHost of [
      `rebind.attacker.example:${port}`,
      "rebind.attacker.example",
      "127.0.0.1.nip.io",
    ]) {
      for (const [method, path, headers, body] of routes) {
        const answer = await send(url, method, path, { ...headers, host: foreignHost }, body);
        expect({ route: `${method} ${path}`, ...answer }).toEqual({
          route: `${method} ${path}`,
          status: 403,
          body: '{"error":"refused: not from the inspector\'s page"}',
        });
      }
    }
    const foreignOrigin = await send(
      url,
      "POST",
      `/api/log/${written.ids.onHold}/replay`,
      { ...json, host: `127.0.0.1:${port}`, origin: "https://evil.example" },
      "{}",
    );
    expect(foreignOrigin.status).toBe(403);
    expect(receiver.handled.length).toBe(before);
    // its own host gets everything
    expect((await send(url, "GET", "/api/state", { host: `localhost:${port}` })).status).toBe(200);
  });

  it("--allow-replay: the page replays one delivery to --to, and the receiver's dedupe decides", async () => {
    receiver.availabilityUp();
    const { running, api } = await inspect(
      "--allow-replay",
      "--to",
      receiver.url(":supplier"),
      "--user",
      "bokun",
      "--pass",
      BOKUN_PASSWORD,
    );
    expect(running.stdout).toMatch(/replays go to http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo\/:supplier/);
    expect((await api("/api/state")).value).toMatchObject({
      allowReplay: true,
      replayTo: receiver.url(":supplier"),
    });
    const post = (id: string) =>
      api(`/api/log/${id}/replay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    const before = receiver.handled.length;
    expect(await post(written.ids.availability)).toEqual({
      status: 200,
      value: { result: "delivered", status: 200 },
    });
    expect(receiver.handled.slice(before)).toEqual([
      { event: "availability_update", id: written.slot, replay: "1" },
    ]);
    expect(await post(written.ids.availability)).toEqual({
      status: 200,
      value: { result: "duplicate", status: 200 },
    });
    // peek's delivery with bokun's credentials: the receiver refuses it
    expect((await post(written.ids.confirmed)).value).toMatchObject({ result: "failed", status: 401 });
    expect(await post(written.ids.refused)).toEqual({
      status: 409,
      value: { error: "its body was not kept: it cannot be replayed" },
    });
    expect(running.stdout + running.stderr).not.toContain(BOKUN_PASSWORD);
  });

  it("--allow-replay needs --to, and --to needs --allow-replay", async () => {
    const without = await cli(["inspect", ...store, "--allow-replay"]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("--allow-replay needs --to <the receiver's URL>");
    const alone = await cli(["inspect", ...store, "--to", "http://127.0.0.1:3000/webhooks/octo"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--to is for --allow-replay");
  });
});

describe("octo-webhooks inspect: the store", () => {
  it("fails at start, in one line, when the store does not answer", async () => {
    const result = await cli(["inspect", "--redis", "redis://127.0.0.1:1", "--port", "0"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^octo-webhooks: cannot read the delivery log at redis:\/\/127\.0\.0\.1:1: .+\n$/,
    );
  });
});
