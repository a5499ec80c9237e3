// The Durable Object store against the contract every DeliveryStore keeps (the one the memory, Redis
// and Postgres stores pass), its object running inside workerd (Miniflare), called from here through
// Miniflare's namespace binding; and the sweep that deletes what expired.
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliveryStoreContract } from "../../bullmq/test/store-contract.ts";
import {
  type DurableObjectNamespaceLike,
  durableObjectStore,
  OctoStoreObject,
  type StoreCall,
} from "../src/index.ts";

let mf: Miniflare;
let namespace: DurableObjectNamespaceLike;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `export { OctoStoreObject } from "./src/index.ts";
export default { fetch: () => new Response("store only") };`,
      resolveDir: new URL("..", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["@octo-webhooks/source", "workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? "",
    compatibilityDate: "2026-04-01",
    durableObjects: { OCTO_STORE: { className: "OctoStoreObject", useSQLite: true } },
  });
  // Miniflare types its bindings with @cloudflare/workers-types, which this package does not install
  namespace = (await mf.getDurableObjectNamespace("OCTO_STORE")) as unknown as DurableObjectNamespaceLike;
});
afterAll(() => mf?.dispose());

// one object per test file run, shared by the contract's tests (they use keys of their own)
deliveryStoreContract("Durable Object (workerd)", () => durableObjectStore(namespace, { name: "contract" }));

describe("durableObjectStore", () => {
  it("stores of different names keep apart", async () => {
    const a = durableObjectStore(namespace, { name: "a" });
    const b = durableObjectStore(namespace, { name: "b" });
    expect(await a.claim("same-key", 10_000, "t1")).toBe("claimed");
    expect(await b.claim("same-key", 10_000, "t2")).toBe("claimed");
    expect(await a.claim("same-key", 10_000, "t3")).toBe("processing");
  });

  it("refuses what is not a Durable Object namespace", () => {
    expect(() => durableObjectStore({} as DurableObjectNamespaceLike)).toThrow(
      /durableObjectStore\(\) takes a Durable Object namespace binding/,
    );
  });
});

/** A Durable Object's storage in memory, its keys in order, as the runtime lists them. */
function memoryStorage() {
  const entries = new Map<string, unknown>();
  let alarm: number | null = null;
  const sorted = () => [...entries.keys()].sort();
  return {
    entries,
    storage: {
      get: async (key: string) => structuredClone(entries.get(key)),
      put: async (values: Record<string, unknown>) => {
        for (const [key, value] of Object.entries(values)) entries.set(key, structuredClone(value));
      },
      delete: async (keys: string[]) => keys.filter((key) => entries.delete(key)).length,
      list: async (o: { prefix?: string; startAfter?: string; end?: string; limit?: number }) => {
        const keys = sorted().filter(
          (key) =>
            key.startsWith(o.prefix ?? "") &&
            (o.startAfter === undefined || key > o.startAfter) &&
            (o.end === undefined || key < o.end),
        );
        return new Map(keys.slice(0, o.limit ?? keys.length).map((key) => [key, entries.get(key)]));
      },
      getAlarm: async () => alarm,
      setAlarm: async (time: number) => {
        alarm = time;
      },
    },
    alarm: () => alarm,
  };
}

describe("OctoStoreObject's sweep", () => {
  it("an hourly alarm deletes the claims and states whose TTL is over, and only those", async () => {
    const memory = memoryStorage();
    const object = new OctoStoreObject({ storage: memory.storage });
    const send = async (call: StoreCall) => {
      const answer = await object.fetch(
        new Request("https://octo-store/", { method: "POST", body: JSON.stringify(call) }),
      );
      return ((await answer.json()) as { result: unknown }).result;
    };
    vi.useFakeTimers({ now: Date.parse("2026-05-01T00:00:00Z"), toFake: ["Date"] });
    try {
      expect(await send({ op: "claim", key: "short", leaseMs: 60_000, token: "t" })).toBe("claimed");
      expect(await send({ op: "claim", key: "long", leaseMs: 60_000, token: "t" })).toBe("claimed");
      await send({ op: "complete", key: "long", ttlMs: 24 * 3_600_000, token: "t" });
      await send({
        op: "recordState",
        key: "booking:b-1",
        state: { instant: 1, hash: "h" },
        ttlMs: 7 * 24 * 3_600_000,
      });
      // the first write scheduled the sweep, an hour on
      expect(memory.alarm()).toBe(Date.now() + 3_600_000);
      vi.setSystemTime(Date.now() + 3_600_000);
      await object.alarm();
      // the short claim's lease is over: gone with its index key; the completed claim and the state stay,
      // each with the index key of its later expiry (the long claim's first one is gone too)
      expect([...memory.entries.keys()].filter((key) => !key.startsWith("x:"))).toEqual([
        "c:long",
        "s:booking:b-1",
      ]);
      expect([...memory.entries.keys()].filter((key) => key.startsWith("x:"))).toHaveLength(2);
      expect(memory.alarm()).toBe(Date.now() + 3_600_000);
      vi.setSystemTime(Date.now() + 8 * 24 * 3_600_000);
      await object.alarm();
      expect([...memory.entries.keys()]).toEqual([]);
      expect(await send({ op: "claim", key: "long", leaseMs: 60_000, token: "t" })).toBe("claimed");
    } finally {
      vi.useRealTimers();
    }
  });
});
