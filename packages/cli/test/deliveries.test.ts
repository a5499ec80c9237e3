// `octo-webhooks deliveries list|show|replay`, the built binary against a real Redis whose delivery log
// a real receiver wrote: the filters, one entry whole with its attempts and changes, JSON for scripts,
// nothing of a body's terminal escapes printed as is, and replay through the receiver over HTTP (its
// dedupe honoured). And what the CLI says when the store's package is not installed.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cli, closedPort, expectNoStack } from "./helpers.ts";
import {
  allEntries,
  describeWithRedis,
  EVIL_ID,
  type LoggedReceiver,
  loggedReceiver,
  PEEK_PASSWORD,
  redisUrl,
  shownStore,
  type WrittenLog,
  waitFor,
  writeLog,
} from "./log-helpers.ts";

// any C0 control but the newline of our own lines, DEL, any C1 control
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describeWithRedis("octo-webhooks deliveries", () => {
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

  const rows = (stdout: string) => stdout.trim().split("\n").slice(1);
  const json = async (args: string[]) => {
    const result = await cli([...args, ...store, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  };

  it("the receiver answered as the log says", () => {
    expect(written.statuses).toEqual([200, 200, 200, 500, 200, 500, 401, 200]);
  });

  it("list: a table newest first, and each filter narrows it", async () => {
    const all = await cli(["deliveries", "list", ...store]);
    expect(all.code).toBe(0);
    const [head] = all.stdout.split("\n");
    expect(head?.split(/\s+/)).toEqual([
      "RECEIVED",
      "ID",
      "SUPPLIER",
      "EVENT",
      "RESOURCE",
      "TRY",
      "STATUS",
      "SOURCE",
      "OUTCOME",
    ]);
    expect(rows(all.stdout)).toHaveLength(8);
    expect(rows(all.stdout)[0]).toContain(written.ids.evil);
    expect(rows(all.stdout)[7]).toContain(written.ids.onHold);

    const bokun = await cli(["deliveries", "list", ...store, "--supplier", "bokun"]);
    expect(rows(bokun.stdout)).toHaveLength(1);
    expect(bokun.stdout).toMatch(
      /bokun\s+availability_update\s+\S+\s+1\s+500\s+webhook\s+failed HANDLER_FAILED/,
    );

    const failed = await cli(["deliveries", "list", ...store, "--outcome", "failed"]);
    expect(rows(failed.stdout).map((row) => row.split(/\s+/)[1])).toEqual([
      written.ids.availability,
      written.ids.failed,
    ]);
    const refused = await cli(["deliveries", "list", ...store, "--status", "401"]);
    expect(rows(refused.stdout)).toHaveLength(1);
    expect(refused.stdout).toMatch(/peek\s+-\s+-\s+1\s+401\s+webhook\s+refused UNAUTHORIZED/);

    const booking = await cli(["deliveries", "list", ...store, "--resource", written.booking]);
    expect(rows(booking.stdout)).toHaveLength(3);
    const event = await cli([
      "deliveries",
      "list",
      ...store,
      "--event",
      "booking_update",
      "--supplier",
      "peek",
    ]);
    expect(rows(event.stdout)).toHaveLength(6);
    expect(await cli(["deliveries", "list", ...store, "--until", "2000-01-01"])).toMatchObject({
      code: 0,
      stdout: "no deliveries match\n",
    });
    expect(rows((await cli(["deliveries", "list", ...store, "--since", "1h"])).stdout)).toHaveLength(8);
  });

  it("list --limit pages with --cursor; --key lists one delivery's attempts", async () => {
    const first = await cli(["deliveries", "list", ...store, "--limit", "3"]);
    expect(rows(first.stdout)).toHaveLength(3);
    const cursor = /more: add --cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const rest = await cli(["deliveries", "list", ...store, "--limit", "10", "--cursor", cursor as string]);
    expect(rows(rest.stdout)).toHaveLength(5);
    expect(rest.stderr).toBe("");
    const page = await json(["deliveries", "list", "--limit", "3"]);
    expect(page.entries).toHaveLength(3);
    expect(page.cursor).toBe(cursor);

    const key = written.entries.find((e) => e.id === written.ids.failed)?.deliveryKey as string;
    const attempts = await json(["deliveries", "list", "--key", key]);
    expect(attempts.entries.map((e: { attempt: number; status: number }) => [e.attempt, e.status])).toEqual([
      [2, 200],
      [1, 500],
    ]);
  });

  it("list --json: every field of the entries, no credential anywhere", async () => {
    const { entries, cursor } = await json([
      "deliveries",
      "list",
      "--supplier",
      "peek",
      "--resource",
      written.booking,
    ]);
    expect(cursor).toBeUndefined();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      id: written.ids.cancelled,
      source: "webhook",
      supplier: "peek",
      event: "booking_update",
      resourceId: written.booking,
      attempt: 1,
      status: 200,
      outcome: "handled",
      handlers: [{ event: "booking_update", index: 0, ok: true }],
      headers: { authorization: "[REDACTED]", "content-type": "application/json" },
    });
    expect(JSON.parse(entries[0].body).booking.status).toBe("CANCELLED");
    const everything = JSON.stringify(await json(["deliveries", "list", "--limit", "100"]));
    expect(everything).not.toContain(PEEK_PASSWORD);
  });

  it("show: the entry whole, its handlers, its body pretty, the other attempts of its delivery", async () => {
    const shown = await cli(["deliveries", "show", written.ids.failed, ...store]);
    expect(shown.code).toBe(0);
    const out = shown.stdout;
    expect(out).toContain(`Delivery ${written.ids.failed}`);
    expect(out).toMatch(/supplier\s+peek/);
    expect(out).toMatch(new RegExp(`resource\\s+${written.failingBooking}\n`));
    expect(out).toMatch(/answer\s+500/);
    expect(out).toMatch(/error\s+HANDLER_FAILED: /);
    expect(out).toContain("authorization: [REDACTED]");
    expect(out).toMatch(/x-request-id: req-[0-9a-f]{6}/);
    expect(out).toContain(`#0 booking_update failed`);
    expect(out).toContain(`database timeout for ${written.failingBooking}`);
    // pretty JSON: one field a line
    expect(out).toContain(`\n    "uuid": "${written.failingBooking}",\n`);
    expect(out).toContain("Attempts of this delivery (2)");
    expect(out).toMatch(new RegExp(`\\*\\s+\\S+\\s+${written.ids.failed}\\s+1\\s+500\\s+webhook\\s+failed`));
    expect(out).toMatch(
      new RegExp(`\\n\\s+\\S+\\s+${written.ids.retried}\\s+2\\s+200\\s+webhook\\s+handled`),
    );
    expect(out).not.toContain(PEEK_PASSWORD);

    const whole = await json(["deliveries", "show", written.ids.retried]);
    expect(whole.entry).toMatchObject({ id: written.ids.retried, attempt: 2, outcome: "handled" });
    expect(whole.attempts.map((a: { id: string }) => a.id)).toEqual([
      written.ids.failed,
      written.ids.retried,
    ]);
  });

  it("show: the changes of a delivery, from its diff or from the resource's previous logged state", async () => {
    const confirmed = await cli(["deliveries", "show", written.ids.confirmed, ...store]);
    expect(confirmed.stdout).toMatch(/Changes \(its diff\)\n\s+PATH\s+WAS\s+NOW\n/);
    expect(confirmed.stdout).toMatch(/\/status\s+"ON_HOLD"\s+"CONFIRMED"/);

    const cancelled = await json(["deliveries", "show", written.ids.cancelled]);
    expect(cancelled.changes).toMatchObject({ from: "previous", previous: { id: written.ids.confirmed } });
    expect(cancelled.changes.rows).toContainEqual({
      op: "replace",
      path: "/status",
      was: "CONFIRMED",
      now: "CANCELLED",
    });
    const text = await cli(["deliveries", "show", written.ids.cancelled, ...store]);
    expect(text.stdout).toContain(`Changes (since ${written.ids.confirmed}, `);
    expect(text.stdout).toMatch(/\/status\s+"CONFIRMED"\s+"CANCELLED"/);

    const first = await json(["deliveries", "show", written.ids.onHold]);
    expect(first.changes).toEqual({ from: "none", rows: [], more: 0 });
  });

  it("prints a body's terminal escapes escaped, in tables, in show and in JSON", async () => {
    const list = await cli(["deliveries", "list", ...store, "--supplier", "peek"]);
    const show = await cli(["deliveries", "show", written.ids.evil, ...store]);
    const asJson = await cli(["deliveries", "show", written.ids.evil, ...store, "--json"]);
    for (const out of [list.stdout, show.stdout, asJson.stdout]) {
      expect(out).not.toMatch(CONTROL);
    }
    expect(list.stdout).toContain("evil-\\x1b]0;pwned\\x07-\\x9b2J");
    expect(show.stdout).toContain("evil-\\x1b]0;pwned\\x07-\\x9b2J");
    expect(JSON.parse(asJson.stdout).entry.resourceId).toBe(EVIL_ID);
  });

  it("show: an id the log does not have is one line, exit 1", async () => {
    const result = await cli(["deliveries", "show", "no-such-entry", ...store]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `octo-webhooks: no entry no-such-entry in the delivery log at ${shownStore}\n`,
    );
  });

  it("replay --dry-run lists each delivery once, oldest first, and sends nothing", async () => {
    const before = receiver.handled.length;
    const dry = await cli(["deliveries", "replay", ...store, "--supplier", "peek", "--dry-run"]);
    expect(dry.code).toBe(0);
    const lines = dry.stdout.trim().split("\n");
    // booking B's three, F once (its latest attempt), the escaped one; the refusal kept no body
    expect(lines.at(-1)).toBe("5 would be replayed, oldest first; 1 without a kept body (not replayable)");
    expect(lines[1]).toContain(written.ids.onHold);
    expect(dry.stdout).toContain(written.ids.retried);
    expect(dry.stdout).not.toContain(written.ids.failed);
    const asJson = await json(["deliveries", "replay", "--resource", written.booking, "--dry-run"]);
    expect(asJson).toMatchObject({ dryRun: true, found: 3, withoutBody: 0 });
    expect(asJson.deliveries.map((d: { id: string }) => d.id)).toEqual([
      written.ids.onHold,
      written.ids.confirmed,
      written.ids.cancelled,
    ]);
    expect(receiver.handled.length).toBe(before);
  });

  it("replay --to: each body POSTed to the receiver, marked; its dedupe decides; a failure applied once fixed", async () => {
    const logged = (await allEntries(receiver.log)).length;
    const before = receiver.handled.length;
    // booking B: applied already, every one a duplicate for the receiver's dedupe
    const again = await cli(
      [
        "deliveries",
        "replay",
        ...store,
        "--resource",
        written.booking,
        "--to",
        receiver.url("peek"),
        "--user",
        "octo",
      ],
      { OCTO_HOOK_PASS: PEEK_PASSWORD },
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      "3 replayed: 0 delivered, 3 the receiver had already (duplicate or stale), 0 failed",
    );
    expect(again.stdout.match(/← 200 duplicate/g)).toHaveLength(3);
    expect(receiver.handled.length).toBe(before);

    // the availability update failed; its handler works now: the replay applies it, marked as a replay
    receiver.availabilityUp();
    const fixed = await cli([
      "deliveries",
      "replay",
      ...store,
      "--outcome",
      "failed",
      "--supplier",
      "bokun",
      "--to",
      receiver.url(":supplier"),
      "--user",
      "bokun",
      "--pass",
      "bokun-log-s3cret-42",
      "--json",
    ]);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({
      dryRun: false,
      found: 1,
      delivered: 1,
      skipped: 0,
      failed: 0,
      deliveries: [{ id: written.ids.availability, result: "delivered", status: 200 }],
    });
    expect(receiver.handled.slice(before)).toEqual([
      { event: "availability_update", id: written.slot, replay: "1" },
    ]);
    // the receiver logged each replay as a new attempt, with the header that says so
    const entries = await waitFor(async () => {
      const found = await allEntries(receiver.log);
      return found.length === logged + 4 && found;
    }, "the replays' entries");
    const replays = entries.slice(0, 4);
    expect(replays.every((e) => e.headers["octo-webhooks-replay"] === "1")).toBe(true);
    expect(replays[0]).toMatchObject({ supplier: "bokun", outcome: "handled", attempt: 2 });
    expect(replays.slice(1).map((e) => e.outcome)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(fixed.stdout + again.stdout + again.stderr).not.toContain(PEEK_PASSWORD);
  });

  it("replay: a receiver's refusal is a failure (exit 1), with its answer", async () => {
    const refused = await cli([
      "deliveries",
      "replay",
      ...store,
      "--resource",
      written.failingBooking,
      "--to",
      receiver.url("peek"),
      "--user",
      "octo",
      "--pass",
      "not-the-password",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("← 401 failed");
    expect(refused.stdout).toContain("UNAUTHORIZED");
    expect(refused.stdout).toContain(
      "1 replayed: 0 delivered, 0 the receiver had already (duplicate or stale), 1 failed",
    );
    expect(refused.stdout + refused.stderr).not.toContain("not-the-password");
    expectNoStack(refused.stderr);
  });

  it("replay: --force is refused and --help says why; --to or --dry-run is required", async () => {
    const force = await cli(["deliveries", "replay", ...store, "--force", "--to", receiver.url("peek")]);
    expect(force.code).toBe(2);
    expect(force.stderr).toContain(
      "--force is not available over HTTP: the receiver's dedupe and stale guard decide",
    );
    const help = await cli(["deliveries", "replay", "--help"]);
    expect(help.stdout).toContain(
      "There is no --force: over HTTP the receiver's dedupe and stale guard decide",
    );
    expect(help.stdout).toContain("octo-webhooks-replay: 1");
    const none = await cli(["deliveries", "replay", ...store]);
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain("give --to <the receiver's URL> (or --dry-run");
  });
});

describe("octo-webhooks deliveries: the store", () => {
  it("needs exactly one of --redis and --postgres, each its own scheme", async () => {
    const none = await cli(["deliveries", "list"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give the log's store: --redis redis://... or --postgres postgres://...");
    const both = await cli([
      "deliveries",
      "list",
      "--redis",
      "redis://127.0.0.1",
      "--postgres",
      "postgres://x",
    ]);
    expect(both.code).toBe(2);
    const wrong = await cli(["deliveries", "list", "--redis", "http://127.0.0.1:6379"]);
    expect(wrong.stderr).toBe("octo-webhooks: --redis must be a redis:// or rediss:// URL\n");
  });

  it("a store that does not answer is one line, its password masked", async () => {
    const port = await closedPort();
    const result = await cli(["deliveries", "list", "--redis", `redis://:hunter2-log-pw@127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^octo-webhooks: cannot read the delivery log at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}: .+\\n$`,
      ),
    );
    expect(result.stderr).not.toContain("hunter2-log-pw");
  });
});

describe("octo-webhooks deliveries: the store's package missing", () => {
  // the built CLI copied where only its own dependencies are installed (as after `npm install
  // @octo-webhooks/cli` alone): nothing of @octo-webhooks/bullmq or @octo-webhooks/postgres
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-cli-alone-"));
    const packageDir = join(CLI, "..", "..");
    cpSync(join(packageDir, "dist"), join(dir, "dist"), { recursive: true });
    cpSync(join(packageDir, "package.json"), join(dir, "package.json"));
    const modules = join(packageDir, "node_modules");
    mkdirSync(join(dir, "node_modules", "@octo-webhooks"), { recursive: true });
    for (const name of ["commander", "picocolors", "jiti"]) {
      symlinkSync(join(modules, name), join(dir, "node_modules", name));
    }
    for (const name of ["core", "client", "testing"]) {
      symlinkSync(join(modules, "@octo-webhooks", name), join(dir, "node_modules", "@octo-webhooks", name));
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const alone = (args: string[]) => cli(args, {}, join(dir, "dist", "cli.js"));

  it("--redis without @octo-webhooks/bullmq names what to install", async () => {
    expect(readdirSync(join(dir, "node_modules", "@octo-webhooks")).sort()).toEqual([
      "client",
      "core",
      "testing",
    ]);
    const result = await alone(["deliveries", "list", "--redis", "redis://127.0.0.1:6379"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "octo-webhooks: --redis needs @octo-webhooks/bullmq bullmq ioredis installed next to the CLI (@octo-webhooks/bullmq is missing): npm install @octo-webhooks/bullmq bullmq ioredis\n",
    });
    const inspect = await alone(["inspect", "--redis", "redis://127.0.0.1:6379", "--port", "0"]);
    expect(inspect.stderr).toContain(
      "--redis needs @octo-webhooks/bullmq bullmq ioredis installed next to the CLI",
    );
  });

  it("--postgres without @octo-webhooks/postgres, or with one that has no createPostgresLog, says what to install", async () => {
    const missing = await alone(["deliveries", "list", "--postgres", "postgres://127.0.0.1/shop"]);
    expect(missing).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "octo-webhooks: --postgres needs @octo-webhooks/postgres installed next to the CLI (@octo-webhooks/postgres is missing): npm install @octo-webhooks/postgres\n",
    });
    // a version from before the Postgres log
    const old = join(dir, "node_modules", "@octo-webhooks", "postgres");
    mkdirSync(old);
    writeFileSync(
      join(old, "package.json"),
      JSON.stringify({
        name: "@octo-webhooks/postgres",
        version: "0.0.1",
        type: "module",
        exports: "./index.js",
      }),
    );
    writeFileSync(join(old, "index.js"), "export function createPostgresStore() {}\n");
    const older = await alone(["deliveries", "list", "--postgres", "postgres://127.0.0.1/shop"]);
    expect(older.code).toBe(1);
    expect(older.stderr).toBe(
      "octo-webhooks: the installed @octo-webhooks/postgres has no createPostgresLog (the Postgres log came in a later version): npm install @octo-webhooks/postgres@latest\n",
    );
  });
});
