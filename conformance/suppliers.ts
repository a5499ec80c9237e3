// The `suppliers` option on every adapter: one receiver, three suppliers, each identified by the
// credentials that matched and by the `:supplier` segment of the path; both must agree.
import type { AdapterOptions, HandlerContext, OctoWebhooksError, SupplierConfig } from "@octo-webhooks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const SUPPLIERS = {
  ventrata: { username: "ventrata-hooks", password: "ventrata-pass-1a2b" },
  peek: { username: "peek-hooks", password: "peek-pass-3c4d" },
  bokun: { username: "bokun-hooks", password: "bokun-pass-5e6f" },
} as const;
type Id = keyof typeof SUPPLIERS;
const IDS = Object.keys(SUPPLIERS) as Id[];
const SECRETS = IDS.map((id) => SUPPLIERS[id].password);
const SUPPLIER_PATH = `${PATH}/:supplier`;
const basicOf = (id: Id) => `Basic ${btoa(`${SUPPLIERS[id].username}:${SUPPLIERS[id].password}`)}`;
const configs: Record<string, SupplierConfig> = Object.fromEntries(
  IDS.map((id) => [id, { auth: { basic: SUPPLIERS[id] } }]),
);
const delivery = (uuid: string, utcUpdatedAt = "2026-01-01T10:00:00Z") =>
  JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid, status: "CONFIRMED", utcUpdatedAt },
  });
const post = (body: string, authorization?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
  body,
  signal: AbortSignal.timeout(10_000),
});

function recorder(extra: AdapterOptions<unknown>) {
  const seen: { uuid: string; supplier: string | undefined }[] = [];
  const errors: OctoWebhooksError[] = [];
  const lines: string[] = [];
  const keep = (message: string, fields?: unknown) =>
    void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  const options: AdapterOptions<unknown> = {
    logger: { debug: keep, info: keep, warn: keep, error: keep },
    onBookingUpdate: ({ booking }, context: HandlerContext) =>
      void seen.push({ uuid: booking.uuid, supplier: context.supplier }),
    onError: (error) => void errors.push(error),
    ...extra,
  };
  return { options, seen, errors, lines };
}

function started(framework: FrameworkUnderTest, options: () => AdapterOptions<unknown>): () => Target {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await framework.start({ options: options(), parser: "none", mount: "app" });
  });
  afterAll(async () => {
    await target?.close();
  });
  return () => target as Target;
}

/**
 * The multi-supplier cases of one adapter: each supplier's deliveries reach handlers with its
 * `context.supplier`; another supplier's credentials, an unknown supplier and wrong credentials get the
 * same 401; the per-request lookup form; identification by credentials alone.
 *
 * @example
 * ```ts
 * testSuppliers(expressFrameworks[0]);
 * ```
 */
export function testSuppliers(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: one receiver, three suppliers at ${SUPPLIER_PATH}`, () => {
    const rec = recorder({ suppliers: configs, dedupe: true, staleGuard: true });
    const target = started(framework, () => ({ ...rec.options, path: SUPPLIER_PATH }));

    it("each supplier's delivery reaches the handler with its context.supplier", async () => {
      for (const id of IDS) {
        const response = await target().fetch(`${PATH}/${id}`, post(delivery(`b-${id}`), basicOf(id)));
        expect(response.status).toBe(200);
      }
      expect(rec.seen).toEqual(IDS.map((id) => ({ uuid: `b-${id}`, supplier: id })));
    });

    it("supplier A's credentials on supplier B's path are refused, as are an unknown supplier and no credentials", async () => {
      rec.seen.length = 0;
      const refused = [
        [`${PATH}/peek`, basicOf("ventrata")],
        [`${PATH}/bokun`, basicOf("peek")],
        [`${PATH}/nobody`, basicOf("ventrata")],
        [`${PATH}/ventrata`, undefined],
      ] as const;
      const bodies = new Set<string>();
      for (const [path, authorization] of refused) {
        const response = await target().fetch(path, post(delivery("b-x"), authorization));
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
        bodies.add(await response.text());
      }
      // the same answer whether the supplier exists or not
      expect(bodies.size).toBe(1);
      expect(rec.seen).toEqual([]);
      const said = `${[...bodies].join("")} ${rec.lines.join("\n")}`;
      for (const secret of SECRETS) expect(said).not.toContain(secret);
    });

    it("dedupe and the stale guard keep each supplier's keys apart", async () => {
      rec.seen.length = 0;
      // the same body from two suppliers is two deliveries, not a duplicate
      const same = delivery("b-shared", "2026-01-02T10:00:00Z");
      for (const id of ["ventrata", "peek"] as const) {
        expect((await target().fetch(`${PATH}/${id}`, post(same, basicOf(id)))).status).toBe(200);
      }
      // an older update of the same booking uuid from a third supplier is not stale
      const older = delivery("b-shared", "2026-01-01T09:00:00Z");
      expect((await target().fetch(`${PATH}/bokun`, post(older, basicOf("bokun")))).status).toBe(200);
      expect(rec.seen.map((s) => s.supplier)).toEqual(["ventrata", "peek", "bokun"]);
      // ...but a retry from the same supplier is a duplicate
      expect((await target().fetch(`${PATH}/peek`, post(same, basicOf("peek")))).status).toBe(200);
      expect(rec.seen).toHaveLength(3);
    });

    it("onError and the log name the supplier of a refused body, never its secret", async () => {
      rec.errors.length = 0;
      rec.lines.length = 0;
      const response = await target().fetch(`${PATH}/bokun`, post("{", basicOf("bokun")));
      expect(response.status).toBe(400);
      expect(rec.errors.map((e) => [e.code, e.supplier])).toEqual([["MALFORMED_JSON", "bokun"]]);
      expect(rec.lines.join("\n")).toContain("supplier bokun");
      for (const secret of SECRETS) expect(rec.lines.join("\n")).not.toContain(secret);
    });
  });

  describe(`${framework.name}: suppliers looked up per request`, () => {
    const asked: string[] = [];
    const rec = recorder({
      suppliers: async (id) => {
        asked.push(id);
        return configs[id];
      },
    });
    const target = started(framework, () => ({ ...rec.options, path: SUPPLIER_PATH }));

    it("a looked-up supplier's deliveries pass with its context.supplier; an unknown one gets 401", async () => {
      for (const id of IDS) {
        expect((await target().fetch(`${PATH}/${id}`, post(delivery(id), basicOf(id)))).status).toBe(200);
      }
      expect(rec.seen.map((s) => s.supplier)).toEqual(IDS);
      expect((await target().fetch(`${PATH}/ghost`, post(delivery("g"), basicOf("peek")))).status).toBe(401);
      expect((await target().fetch(`${PATH}/peek`, post(delivery("g"), basicOf("bokun")))).status).toBe(401);
      // answers are cached: the second delivery of peek did not ask again
      expect(asked.filter((id) => id === "peek")).toHaveLength(1);
    });
  });

  describe(`${framework.name}: suppliers told apart by their credentials alone at ${PATH}`, () => {
    const rec = recorder({ suppliers: configs });
    const target = started(framework, () => ({ ...rec.options, path: PATH }));

    it("the credentials that matched name the supplier; others get 401", async () => {
      for (const id of IDS) {
        expect((await target().fetch(PATH, post(delivery(id), basicOf(id)))).status).toBe(200);
      }
      expect(rec.seen.map((s) => s.supplier)).toEqual(IDS);
      const wrong = `Basic ${btoa("ventrata-hooks:peek-pass-3c4d")}`;
      expect((await target().fetch(PATH, post(delivery("w"), wrong))).status).toBe(401);
      expect(rec.seen).toHaveLength(3);
    });
  });
}
