// `octo-webhooks reconcile --to`: two mock suppliers lose a receiver's deliveries (its database down,
// the deliveries given up, the webhooks deleted); the CLI reads the final states back and POSTs them to
// the receiver, which runs in a process of its own with `staleGuard` (as on Workers or Lambda: no code of
// it changes), and creates the deleted webhooks again.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockSuppliers } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { cli, expectNoStack, onCleanup } from "./helpers.ts";

const IDS = ["ventrata", "bokun"] as const;
const DAY = 86_400_000;
const FIXTURE = join(import.meta.dirname, "fixtures", "stale-guard-receiver.ts");

const ENV = {
  VENTRATA_API_KEY: "ventrata-api-key",
  VENTRATA_HOOK_USER: "ventrata-hooks",
  VENTRATA_HOOK_PASS: "ventrata-hook-secret",
  BOKUN_API_KEY: "bokun-api-key",
  BOKUN_HOOK_KEY: "bokun-header-secret",
};
const SECRETS = Object.entries(ENV)
  .filter(([name]) => name !== "VENTRATA_HOOK_USER")
  .map(([, value]) => value);

interface Recorded {
  t: "applied" | "post";
  kind?: "booking" | "product";
  supplier: string;
  id?: string;
  status?: string | number;
  utcUpdatedAt?: string;
  answer?: string;
  reconcile: string | null;
}

/** The config, as users write it (TypeScript, the receiver's URL from the env). */
function writeConfig(urls: Record<string, string>): string {
  const config = join(mkdtempSync(join(tmpdir(), "octo-webhooks-reconcile-")), "octo-webhooks.config.ts");
  const suppliers = {
    ventrata: {
      baseUrl: urls.ventrata,
      apiKeyEnv: "VENTRATA_API_KEY",
      hook: { usernameEnv: "VENTRATA_HOOK_USER", passwordEnv: "VENTRATA_HOOK_PASS" },
      events: ["booking_update"],
    },
    bokun: {
      baseUrl: urls.bokun,
      apiKeyEnv: "BOKUN_API_KEY",
      hook: { headerName: "x-octo-key", valueEnv: "BOKUN_HOOK_KEY" },
      events: ["booking_update"],
    },
  };
  writeFileSync(
    config,
    `const receiverUrl: string = process.env.RECEIVER_URL ?? "http://127.0.0.1:1/webhooks/octo/:supplier";\nexport default { receiverUrl, suppliers: ${JSON.stringify(suppliers)} };\n`,
  );
  return config;
}

/** The receiver of the fixture in a child process; resolves once it listens. */
async function startReceiverProcess(config: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=@octo-webhooks/source", "--import", "tsx", FIXTURE, config],
    {
      cwd: join(import.meta.dirname, "../../.."),
      env: { ...process.env, ...ENV },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the receiver did not start:\n${output}`)), 20_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    void exited.then(() => reject(new Error(`the receiver exited:\n${output}`)));
  });
  return {
    origin,
    control: async (state: "down" | "up") => {
      await fetch(`${origin}/_control/${state}`, { method: "POST" });
    },
    record: async () => (await (await fetch(`${origin}/_control/record`)).json()) as Recorded[],
  };
}

/** The table's row of a supplier, by column name. */
function rowOf(stdout: string, supplier: string): Record<string, string> {
  const lines = stdout.split("\n");
  const head = (lines[0] ?? "").trim().split(/\s{2,}/);
  const cells = (lines.find((line) => line.startsWith(`${supplier} `)) ?? "").trim().split(/\s{2,}/);
  return Object.fromEntries(head.map((name, i) => [name, cells[i] ?? ""]));
}

async function setup() {
  const mocks = await startMockSuppliers({
    ids: IDS,
    retrySchedule: [5, 5],
    giveUpAfter: 2,
    deleteWebhookAfter: 6,
  });
  onCleanup(() => mocks.close());
  const config = writeConfig(Object.fromEntries(mocks.suppliers.map((s) => [s.id, s.url])));
  const receiver = await startReceiverProcess(config);
  const env = { ...ENV, RECEIVER_URL: `${receiver.origin}/webhooks/octo/:supplier` };
  const run = async (args: string[], extraEnv: Record<string, string | undefined> = {}) => {
    const result = await cli([...args, "--config", config], { ...env, ...extraEnv });
    expectNoStack(result.stderr);
    for (const secret of SECRETS) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    return result;
  };
  return { mocks, receiver, run, to: `${receiver.origin}/webhooks/octo/:supplier` };
}

describe("octo-webhooks reconcile", () => {
  it("--to brings a receiver in another process up to date once, a second run changes nothing, deleted webhooks come back", async () => {
    const { mocks, receiver, run, to } = await setup();
    expect((await run(["sync"])).code).toBe(3);

    // while the receiver is up: 3 bookings per supplier delivered and applied
    const createdAt = Date.now() - 15.5 * DAY;
    for (const s of mocks.suppliers) {
      await s.simulate.bookingBatch({ count: 3, createdAt: new Date(createdAt).toISOString() });
    }
    const upIds = new Map(mocks.suppliers.map((s) => [s.id, new Set(s.bookings.keys())]));
    const applied = (await receiver.record()).filter((r) => r.t === "applied");
    expect(new Set(applied.map((r) => `${r.supplier} ${r.id}`)).size).toBe(6);

    // its database down: 8 bookings per supplier made and changed, deliveries given up, webhooks deleted
    await receiver.control("down");
    for (const s of mocks.suppliers) {
      await s.simulate.bookingBatch({
        count: 8,
        cancelled: 2,
        amended: 2,
        createdAt: new Date(createdAt + 4 * 3600_000).toISOString(),
      });
      expect(s.webhooks).toEqual([]);
      expect(s.deletedWebhooks).toHaveLength(1);
    }
    await receiver.control("up");
    const lost = new Map(
      mocks.suppliers.map((s) => [s.id, [...s.bookings.keys()].filter((id) => !upIds.get(s.id)?.has(id))]),
    );
    expect(lost.get("bokun")).toHaveLength(8);
    const before = (await receiver.record()).length;

    // a dry run reads and counts: nothing sent, nothing created
    const dry = await run(["reconcile", "--dry-run", "--days", "2"]);
    expect(dry.code).toBe(3);
    expect(dry.stdout).toMatch(/^SUPPLIER\s+READ\s+WOULD SEND/);
    for (const id of IDS) {
      const row = rowOf(dry.stdout, id);
      expect(Number(row.READ)).toBeGreaterThanOrEqual(11);
      expect(row["WOULD RE-CREATE"]).toBe("1");
    }
    expect(dry.stderr).toMatch(/would create it again/);
    expect((await receiver.record()).length).toBe(before);
    for (const s of mocks.suppliers) expect(s.webhooks).toEqual([]);

    // the run: each lost booking's final state applied once, through the receiver's own auth
    const first = await run(["reconcile", "--to", to, "--days", "2"]);
    expect(first.code).toBe(3);
    const afterFirst = await receiver.record();
    const firstPosts = afterFirst.slice(before).filter((r) => r.t === "post");
    expect(firstPosts.length).toBeGreaterThan(0);
    expect(firstPosts.every((p) => p.status === 200 && p.reconcile === "1")).toBe(true);
    const firstApplied = afterFirst.slice(before).filter((r) => r.t === "applied");
    for (const s of mocks.suppliers) {
      const bookings = firstApplied.filter((r) => r.supplier === s.id && r.kind === "booking");
      expect(bookings.map((r) => r.id).sort()).toEqual([...(lost.get(s.id) ?? [])].sort());
      for (const r of bookings) {
        const final = s.bookings.get(r.id as string) as { status: string; utcUpdatedAt: string };
        expect([r.status, r.utcUpdatedAt, r.reconcile]).toEqual([final.status, final.utcUpdatedAt, "1"]);
      }
      expect(bookings.filter((r) => r.status === "CANCELLED")).toHaveLength(2);
      // the deleted webhook created again, with the config's credentials
      expect(s.webhooks).toHaveLength(1);
      const row = rowOf(first.stdout, s.id);
      const changed = firstApplied.filter((r) => r.supplier === s.id).length;
      expect([row.CHANGED, row.FAILED, row["RE-CREATED"], row.DRIFTED]).toEqual([
        String(changed),
        "0",
        "1",
        "0",
      ]);
      expect(Number(row.READ)).toBe(changed + Number(row.UNCHANGED));
      expect(Number(row.UNCHANGED)).toBeGreaterThanOrEqual(3);
    }
    expect(new URL(mocks.get("ventrata").webhooks[0]?.url as string).password).toBe(ENV.VENTRATA_HOOK_PASS);
    expect(mocks.get("bokun").webhooks[0]?.headers).toMatchObject({ "x-octo-key": ENV.BOKUN_HOOK_KEY });

    // again: everything read is answered unchanged, nothing reaches a handler, nothing is created
    const second = await run(["reconcile", "--to", to, "--days", "2", "--json"]);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as {
      dryRun: boolean;
      complete: boolean;
      checked: number;
      changed: number;
      unchanged: number;
      failed: number;
      suppliers: Array<{ supplier: string; checked: number; recreated: unknown[]; drifted: unknown[] }>;
    };
    expect(summary).toMatchObject({ dryRun: false, complete: true, changed: 0, failed: 0 });
    expect(summary.unchanged).toBe(summary.checked);
    expect(summary.checked).toBe(firstPosts.length);
    expect(summary.suppliers.map((s) => [s.supplier, s.recreated, s.drifted]).sort()).toEqual(
      IDS.map((id) => [id, [], []]).sort(),
    );
    const afterSecond = (await receiver.record()).slice(afterFirst.length);
    expect(afterSecond.filter((r) => r.t === "applied")).toEqual([]);
    expect(afterSecond.filter((r) => r.t === "post")).toHaveLength(summary.checked);
    for (const s of mocks.suppliers) expect(s.webhooks).toHaveLength(1);
  });

  it("refuses a run that would send nowhere, credentials in --to, and a supplier the config lacks", async () => {
    const { run, to } = await setup();
    const nowhere = await run(["reconcile"]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/give --to <the receiver's URL>.*or --dry-run/);
    const withCredentials = await run(["reconcile", "--to", to.replace("http://", "http://octo:pw@")]);
    expect(withCredentials.code).toBe(2);
    expect(withCredentials.stderr).toMatch(/--to must not carry credentials/);
    const unknown = await run(["reconcile", "--dry-run", "--supplier", "peek"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no supplier peek in the config \(it has ventrata, bokun\)/);
  });

  it("a supplier whose env var is missing fails alone: the others are reconciled, exit 1", async () => {
    const { mocks, run, to } = await setup();
    const result = await run(["reconcile", "--to", to, "--days", "0", "--json"], {
      BOKUN_HOOK_KEY: undefined,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/supplier bokun failed: .*the env var BOKUN_HOOK_KEY is not set/);
    const summary = JSON.parse(result.stdout) as {
      complete: boolean;
      suppliers: Array<{
        supplier: string;
        complete: boolean;
        failed: number;
        recreated: unknown[];
        errors: string[];
      }>;
    };
    expect(summary.complete).toBe(false);
    const by = Object.fromEntries(summary.suppliers.map((s) => [s.supplier, s]));
    expect(by.bokun).toMatchObject({ complete: false, failed: 1, recreated: [] });
    expect(by.bokun?.errors[0]).toMatch(/BOKUN_HOOK_KEY/);
    expect(by.ventrata).toMatchObject({ complete: true, failed: 0 });
    expect(by.ventrata?.recreated).toHaveLength(1);
    expect(mocks.get("ventrata").webhooks).toHaveLength(1);
    expect(mocks.get("bokun").webhooks).toHaveLength(0);
  });
});
