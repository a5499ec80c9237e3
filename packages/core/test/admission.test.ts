// Admission on its own: what it asks of the DeliveryStore (the interface users implement) and what it
// decides, against a small recording store written here and against createMemoryStore().
import { describe, expect, it } from "vitest";
import { createAdmission } from "../src/admission/create-admission.ts";
import { lenientValidation } from "../src/events/lenient-validation.ts";
import { parseDelivery } from "../src/events/parse-delivery.ts";
import type { ClaimResult, DeliveryStore } from "../src/index.ts";
import { createMemoryStore, OctoRequestError } from "../src/index.ts";
import { bookingBody, capturingLogger } from "./helpers.ts";

/** A store that answers what it is told and records every call. */
function recordingStore(claims: ClaimResult[] = ["claimed"], newest?: number) {
  const calls: string[] = [];
  const store: DeliveryStore = {
    claim: (key, leaseMs) => {
      calls.push(`claim ${key} ${leaseMs}`);
      return claims.shift() ?? "claimed";
    },
    complete: (key, ttlMs) => void calls.push(`complete ${key} ${ttlMs}`),
    release: (key) => void calls.push(`release ${key}`),
    recordNewest: (key, instant, ttlMs) => {
      calls.push(`recordNewest ${key} ${instant} ${ttlMs}`);
      return newest;
    },
  };
  return { store, calls };
}

const settingsFor = { validator: lenientValidation, strict: false, unknownEvents: "accept" } as const;
const delivery = (booking: Record<string, unknown> = {}) =>
  parseDelivery({ text: JSON.stringify(bookingBody(booking)) }, { key: "key-1" }, settingsFor);

function admissionWith(
  store: DeliveryStore,
  which: { dedupe?: boolean; staleGuard?: boolean } = { dedupe: true, staleGuard: true },
) {
  const hooks: string[] = [];
  const admission = createAdmission(
    {
      logger: capturingLogger(),
      dedupe: which.dedupe ? { store, ttlMs: 1000, leaseMs: 50 } : undefined,
      staleGuard: which.staleGuard ? { store, ttlMs: 2000, maxFutureSkewMs: 300_000 } : undefined,
    },
    async (name) => void hooks.push(name),
  );
  if (admission === undefined) throw new Error("expected an admission");
  return { admission, hooks };
}

describe("admission", () => {
  it("is absent when neither dedupe nor staleGuard is on", () => {
    expect(
      createAdmission(
        { logger: capturingLogger(), dedupe: undefined, staleGuard: undefined },
        async () => {},
      ),
    ).toBeUndefined();
  });

  it("claims the key with the lease, then records the booking's instant with the stale TTL", async () => {
    const { store, calls } = recordingStore();
    const { admission } = admissionWith(store);
    await expect(admission.admit(delivery({ utcUpdatedAt: "2026-01-01T00:00:00Z" }))).resolves.toBe("run");
    expect(calls).toEqual([
      "claim key-1 50",
      `recordNewest booking:b-1 ${Date.parse("2026-01-01T00:00:00Z")} 2000`,
    ]);
  });

  it("gives the claim its delivery (payload and context, as the handlers get them), so that a store can enqueue it", async () => {
    const given: unknown[][] = [];
    const { store } = recordingStore();
    const claim = store.claim;
    store.claim = (...args) => {
      given.push(args);
      return claim(...args);
    };
    const parsed = delivery();
    await admissionWith(store, { dedupe: true }).admission.admit(parsed);
    const [key, leaseMs, token, claimed] = given[0] ?? [];
    expect([key, leaseMs, typeof token]).toEqual(["key-1", 50, "string"]);
    expect(claimed).toEqual({ payload: parsed.body, context: parsed.context });
    expect((claimed as { context: unknown }).context).toBe(parsed.context);
  });

  it("a done key is a duplicate (onDuplicate runs), a processing one a 409", async () => {
    const { store } = recordingStore(["done", "processing"]);
    const { admission, hooks } = admissionWith(store);
    await expect(admission.admit(delivery())).resolves.toBe("duplicate");
    const refused = await admission.admit(delivery()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OctoRequestError);
    expect((refused as OctoRequestError).status).toBe(409);
    expect(hooks).toEqual(["duplicate", "duplicate"]);
  });

  it("an older instant is stale: the claim is completed and onStale runs", async () => {
    const { store, calls } = recordingStore(["claimed"], Date.parse("2026-02-01T00:00:00Z"));
    const { admission, hooks } = admissionWith(store);
    await expect(admission.admit(delivery({ utcUpdatedAt: "2026-01-01T00:00:00Z" }))).resolves.toBe("stale");
    expect(calls.at(-1)).toBe("complete key-1 1000");
    expect(hooks).toEqual(["stale"]);
  });

  it("a store that fails recordNewest releases the claim and gives a 503", async () => {
    const { store, calls } = recordingStore();
    store.recordNewest = () => {
      throw new Error("down");
    };
    const { admission } = admissionWith(store);
    const refused = await admission
      .admit(delivery({ utcUpdatedAt: "2026-01-01T00:00:00Z" }))
      .catch((e: unknown) => e);
    expect((refused as OctoRequestError).code).toBe("STORE_UNAVAILABLE");
    expect(calls.at(-1)).toBe("release key-1");
  });

  it("endClaim completes or releases, and does nothing without dedupe", async () => {
    const { store, calls } = recordingStore();
    await admissionWith(store).admission.endClaim(delivery(), "complete");
    await admissionWith(store).admission.endClaim(delivery(), "release");
    await admissionWith(store, { staleGuard: true }).admission.endClaim(delivery(), "complete");
    expect(calls).toEqual(["complete key-1 1000", "release key-1"]);
  });

  it("against createMemoryStore: run, then duplicate once completed, then stale for an older update", async () => {
    const { admission } = admissionWith(createMemoryStore());
    const first = delivery({ utcUpdatedAt: "2026-02-01T00:00:00Z" });
    expect(await admission.admit(first)).toBe("run");
    await expect(admission.admit(first)).rejects.toMatchObject({ code: "DELIVERY_IN_PROGRESS" });
    await admission.endClaim(first, "complete");
    expect(await admission.admit(first)).toBe("duplicate");
    const older = parseDelivery(
      { text: JSON.stringify(bookingBody({ utcUpdatedAt: "2026-01-01T00:00:00Z" })) },
      { key: "key-2" },
      settingsFor,
    );
    expect(await admission.admit(older)).toBe("stale");
  });
});
