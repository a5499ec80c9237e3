import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOctoClient } from "@octo-webhooks/client";
import { startMockSuppliers } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { cli, expectNoStack, onCleanup, start } from "./helpers.ts";

const IDS = ["ventrata", "peek", "bokun"] as const;
const EVENTS = ["booking_update", "availability_update"];
const envName = (id: string, what: string) => `${id.toUpperCase()}_${what}`;

async function setup() {
  const mocks = await startMockSuppliers({ ids: IDS });
  onCleanup(() => mocks.close());
  const dir = mkdtempSync(join(tmpdir(), "octo-webhooks-suppliers-"));
  const suppliers = Object.fromEntries(
    mocks.suppliers.map((s) => [
      s.id,
      {
        baseUrl: s.url,
        apiKeyEnv: envName(s.id, "API_KEY"),
        hook: {
          usernameEnv: envName(s.id, "HOOK_USER"),
          passwordEnv: envName(s.id, "HOOK_PASS"),
          nextPasswordEnv: envName(s.id, "HOOK_PASS_NEXT"),
        },
        events: EVENTS,
      },
    ]),
  );
  // a TypeScript config, as users write it: loaded without a build step
  const config = join(dir, "octo-webhooks.config.ts");
  writeFileSync(
    config,
    `const receiverUrl: string = "https://reseller.example/webhooks/octo/:supplier";\nexport default { receiverUrl, suppliers: ${JSON.stringify(suppliers)} };\n`,
  );
  const env: Record<string, string> = {};
  for (const s of mocks.suppliers) {
    env[envName(s.id, "API_KEY")] = s.apiKey;
    env[envName(s.id, "HOOK_USER")] = `${s.id}-hooks`;
    env[envName(s.id, "HOOK_PASS")] = `${s.id}-first-secret`;
  }
  const secrets = () => [...Object.values(env).filter((v) => v.includes("secret") || v.includes("key"))];
  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const result = await cli([...args, "--config", config], { ...env, ...extraEnv });
    expectNoStack(result.stderr);
    for (const secret of secrets()) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    return result;
  };
  const client = (id: string) => {
    const s = mocks.get(id);
    return createOctoClient({ baseUrl: s.url, apiKey: s.apiKey, retries: 0 });
  };
  return { mocks, run, env, client, config, dir };
}

const rowsOf = (stdout: string) =>
  stdout
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => IDS.includes(cells[0] as (typeof IDS)[number]))
    .map(([supplier, event, action]) => `${supplier} ${event} ${action}`)
    .sort();

describe("octo-webhooks sync and status, three suppliers", () => {
  it("creates everything, then keeps, repairs a hand deletion, and finishes the others when one is down", async () => {
    const { mocks, run, client } = await setup();

    const first = await run(["sync"]);
    expect(first.code).toBe(3);
    expect(rowsOf(first.stdout)).toEqual(IDS.flatMap((id) => EVENTS.map((e) => `${id} ${e} create`)).sort());
    for (const s of mocks.suppliers) {
      expect(s.webhooks.map((w) => [w.event, new URL(w.url).pathname]).sort()).toEqual(
        EVENTS.map((e) => [e, `/webhooks/octo/${s.id}`]).sort(),
      );
      expect(new URL(s.webhooks[0]?.url as string).password).toBe(`${s.id}-first-secret`);
    }

    const second = await run(["sync"]);
    expect(second.code).toBe(0);
    expect(rowsOf(second.stdout)).toEqual(IDS.flatMap((id) => EVENTS.map((e) => `${id} ${e} keep`)).sort());

    // a registration deleted by hand: the dry run sees it and changes nothing, the sync repairs it
    const gone = mocks.get("peek").webhooks.find((w) => w.event === "availability_update");
    await client("peek").webhooks.delete(gone?.id as string);
    const planned = await run(["sync", "--dry-run"]);
    expect(planned.code).toBe(3);
    expect(rowsOf(planned.stdout)).toContain("peek availability_update create");
    expect(mocks.get("peek").webhooks).toHaveLength(1);
    const third = await run(["sync"]);
    expect(third.code).toBe(3);
    expect(rowsOf(third.stdout).filter((r) => !r.endsWith("keep"))).toEqual([
      "peek availability_update create",
    ]);
    expect(mocks.get("peek").webhooks).toHaveLength(2);

    // one supplier down: the others are synced (bokun repaired), the exit code and stderr name it
    const bokunHook = mocks.get("bokun").webhooks[0];
    await client("bokun").webhooks.delete(bokunHook?.id as string);
    await mocks.get("ventrata").close();
    const down = await run(["sync"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/supplier ventrata failed/);
    expect(down.stderr).not.toMatch(/peek|bokun/);
    expect(rowsOf(down.stdout).filter((r) => r.startsWith("bokun") && r.endsWith("create"))).toHaveLength(1);
    expect(mocks.get("bokun").webhooks).toHaveLength(2);
  });

  it("--supplier limits the run; status flags a registration pointing elsewhere", async () => {
    const { mocks, run, client } = await setup();
    const only = await run(["sync", "--supplier", "bokun"]);
    expect(only.code).toBe(3);
    expect(mocks.get("bokun").webhooks).toHaveLength(2);
    expect(mocks.get("peek").webhooks).toHaveLength(0);

    await client("bokun").webhooks.create({
      event: "booking_update",
      url: "https://old-receiver.example/hooks",
    });
    const status = await run(["status", "--supplier", "bokun", "--supplier", "peek"]);
    expect(status.code).toBe(1);
    const lines = status.stdout.split("\n");
    expect(lines.filter((l) => l.includes("UNKNOWN URL"))).toEqual([
      expect.stringContaining("https://old-receiver.example/hooks"),
    ]);
    expect(lines.filter((l) => l.startsWith("bokun") && l.trim().endsWith("ok"))).toHaveLength(2);
    expect(lines.some((l) => l.startsWith("peek") && l.includes("nothing registered"))).toBe(true);
    // sync leaves the foreign registration alone
    expect((await run(["sync", "--supplier", "bokun"])).code).toBe(0);
    expect(mocks.get("bokun").webhooks).toHaveLength(3);

    const unknown = await run(["sync", "--supplier", "nobody"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no supplier nobody in the config/);
  });

  it("sync --rotate registers the next password and drops the current one's registrations", async () => {
    const { mocks, run, env } = await setup();
    expect((await run(["sync"])).code).toBe(3);
    env[envName("peek", "HOOK_PASS_NEXT")] = "peek-next-secret";
    const rotated = await run(["sync", "--rotate"]);
    expect(rotated.code).toBe(3);
    expect(
      rowsOf(rotated.stdout)
        .filter((r) => r.startsWith("peek"))
        .sort(),
    ).toEqual(EVENTS.flatMap((e) => [`peek ${e} create`, `peek ${e} delete`]).sort());
    expect(mocks.get("peek").webhooks.map((w) => new URL(w.url).password)).toEqual([
      "peek-next-secret",
      "peek-next-secret",
    ]);
    // the others have no next password: kept as they were
    expect(
      rowsOf(rotated.stdout)
        .filter((r) => !r.startsWith("peek"))
        .every((r) => r.endsWith("keep")),
    ).toBe(true);
    // the rotation ends with the next password as the current one: nothing left to change
    env[envName("peek", "HOOK_PASS")] = "peek-next-secret";
    delete env[envName("peek", "HOOK_PASS_NEXT")];
    expect((await run(["sync"])).code).toBe(0);
  });

  it("a missing env var or config file is one clear line", async () => {
    const { run, env } = await setup();
    delete env[envName("bokun", "API_KEY")];
    const missing = await run(["sync"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /supplier bokun failed: supplier bokun: the env var BOKUN_API_KEY is not set/,
    );
    const noFile = await cli(["sync", "--config", "/nonexistent/octo-webhooks.config.ts"]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/no config file at/);
  });
});

describe("octo-webhooks sync and status: drift, honest summaries, checked events", () => {
  it("status names the supplier whose registrations carry a password the receiver no longer has", async () => {
    const { run, env } = await setup();
    expect((await run(["sync"])).code).toBe(3);
    const fine = await run(["status"]);
    expect(fine.code).toBe(0);
    expect(fine.stdout.split("\n").filter((l) => l.trim().endsWith(" ok"))).toHaveLength(6);

    // the receiver's password for peek changed; its registrations still carry the old one
    env[envName("peek", "HOOK_PASS")] = "peek-second-secret";
    const drifted = await run(["status"]);
    expect(drifted.code).toBe(1);
    const lines = drifted.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("peek")).map((l) => l.trim().split(/ {2,}/).at(-1))).toEqual([
      "drifted: password",
      "drifted: password",
    ]);
    expect(lines.filter((l) => /^(ventrata|bokun)/.test(l)).every((l) => l.trim().endsWith(" ok"))).toBe(
      true,
    );
    expect(drifted.stderr).toMatch(
      /supplier peek has registrations whose credentials differ from the config's: run `octo-webhooks sync`/,
    );
    expect(drifted.stderr).not.toMatch(/ventrata|bokun/);
    const json = JSON.parse((await run(["status", "--json"])).stdout);
    expect(json.find((o: { supplier: string }) => o.supplier === "peek").rows[0].drifted).toEqual([
      "password",
    ]);
    // sync repairs it
    expect((await run(["sync"])).code).toBe(3);
    expect((await run(["status"])).code).toBe(0);
  });

  it("sync never says everything is in line when a supplier failed", async () => {
    const { run, mocks } = await setup();
    expect((await run(["sync"])).code).toBe(3);
    await mocks.get("peek").close();
    const down = await run(["sync"]);
    expect(down.code).toBe(1);
    expect(down.stdout).not.toContain("everything is in line");
    expect(down.stdout.trim().split("\n").at(-1)).toBe("not in line: 1 supplier failed (peek)");
    const dry = await run(["sync", "--dry-run", "--supplier", "peek", "--supplier", "bokun"]);
    expect(dry.stdout.trim().split("\n").at(-1)).toBe("not in line: 1 supplier failed (peek)");
  });

  it('refuses a misspelt event in the config with a "did you mean", changing nothing', async () => {
    const { run, mocks, config } = await setup();
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace('"availability_update"', '"availabilty_update"'),
    );
    const typo = await run(["sync"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(
      /`suppliers.ventrata.events` has no such event "availabilty_update"; did you mean "availability_update"\?/,
    );
    expect(mocks.suppliers.flatMap((s) => s.webhooks)).toEqual([]);
  });

  it("loads a TypeScript config without jiti's shared cache: nothing written under tmpdir, a poisoned entry there not run", async () => {
    const { run, mocks, config } = await setup();
    // another user of the machine owns <tmpdir>/jiti and put a compiled config there, as jiti names it
    const tmp = mkdtempSync(join(tmpdir(), "octo-webhooks-tmpdir-"));
    const shared = join(tmp, "jiti");
    const { createJiti } = await import("jiti");
    await createJiti(import.meta.url, { fsCache: shared, moduleCache: false }).import(config, {
      default: true,
    });
    const [entry] = readdirSync(shared);
    expect(entry).toBeDefined();
    const marker = join(tmp, "poisoned-config-ran");
    const compiled = readFileSync(join(shared, entry as string), "utf8");
    writeFileSync(
      join(shared, entry as string),
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, String(process.env.VENTRATA_API_KEY));\n${compiled}`,
    );
    const before = readdirSync(tmp).sort();

    const synced = await run(["sync", "--dry-run"], { TMPDIR: tmp });
    expect(synced.code).toBe(3);
    expect(existsSync(marker)).toBe(false);
    // and it wrote nothing there either (no jiti cache, no temporary module)
    expect(readdirSync(tmp).sort()).toEqual(before);
    expect(readdirSync(shared)).toEqual([entry]);
    expect(mocks.suppliers.flatMap((s) => s.webhooks)).toEqual([]);
  });
});

describe("octo-webhooks mock-supplier --count", () => {
  it("runs three suppliers, each answering only its own API key", async () => {
    const running = start(["mock-supplier", "--count", "3", "--port", "0"]);
    onCleanup(() => running.stop());
    await running.waitFor(/mock-3 +http/);
    const found = [...running.stdout.matchAll(/(mock-\d) +(http:\/\/\S+) +api key (\S+)/g)].map((m) =>
      m.slice(1),
    );
    expect(found.map(([id, , key]) => [id, key])).toEqual(IDS_MOCK.map((id) => [id, `${id}-api-key`]));
    const urls = found.map(([, url]) => url as string);
    expect(new Set(urls).size).toBe(3);
    const [first, second] = urls;
    const list = (url: string, key: string) =>
      fetch(`${url}/webhooks`, {
        headers: { authorization: `Bearer ${key}`, "octo-capabilities": "octo/webhooks" },
      });
    expect((await list(first as string, "mock-1-api-key")).status).toBe(200);
    expect((await list(second as string, "mock-1-api-key")).status).toBe(401);
    expect((await cli(["mock-supplier", "--count", "2", "--api-key", "k"])).stderr).toMatch(
      /--api-key and --count/,
    );
  });
});

const IDS_MOCK = ["mock-1", "mock-2", "mock-3"];
