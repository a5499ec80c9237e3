import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { allAcceptedBodies, seedFixtures } from "../../../fixtures/index.ts";
import { renderSchemas, SCHEMAS_DIR } from "../scripts/generate-schemas.ts";
import { strictSchemas } from "../src/schemas.ts";

const STALE =
  "the checked-in JSON Schema files are out of date: run `pnpm --filter @octo-webhooks/core generate:schemas`";

const load = (file: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as object;

describe("the JSON Schema files shipped in the package", () => {
  it("are exactly what the generator renders from the zod schemas", () => {
    const rendered = renderSchemas();
    expect(readdirSync(SCHEMAS_DIR).sort(), STALE).toEqual(Object.keys(rendered).sort());
    for (const [file, content] of Object.entries(rendered)) {
      expect(readFileSync(join(SCHEMAS_DIR, file), "utf8"), `${file}: ${STALE}`).toBe(content);
    }
  });

  it("resolve as @octo-webhooks/core/schemas/*.json", () => {
    const require = createRequire(join(import.meta.dirname, "../../../package.json"));
    const path = require.resolve("@octo-webhooks/core/schemas/booking-update.json");
    expect(path).toBe(join(SCHEMAS_DIR, "booking-update.json"));
    const pkg = JSON.parse(readFileSync(join(SCHEMAS_DIR, "../package.json"), "utf8"));
    expect(pkg.files).toContain("schemas");
    expect(pkg.publishConfig.exports["./schemas/*.json"]).toBe("./schemas/*.json");
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const lenient = {
    booking_update: ajv.compile(load("booking-update.json")),
    availability_update: ajv.compile(load("availability-update.json")),
  };
  const strict = {
    booking_update: ajv.compile(load("booking-update.strict.json")),
    availability_update: ajv.compile(load("availability-update.strict.json")),
  };

  it("the lenient schemas accept every real-world body the receiver accepts", () => {
    const refused = allAcceptedBodies()
      .filter((f) => f.event in lenient)
      .filter((f) => !lenient[f.event as keyof typeof lenient](f.body))
      .map((f) => f.name);
    expect(refused).toEqual([]);
  });

  it("the strict schemas agree with strict zod validation on every body", () => {
    const bodies = allAcceptedBodies().filter((f) => f.event in strict);
    expect(bodies.length).toBeGreaterThan(10);
    const verdicts = bodies.map((f) => {
      const zod =
        f.event === "booking_update" ? strictSchemas.BookingUpdate : strictSchemas.AvailabilityUpdate;
      return [f.name, zod.safeParse(f.body).success, strict[f.event as keyof typeof strict](f.body)];
    });
    expect(verdicts.filter(([, zod, json]) => zod !== json)).toEqual([]);
    // and strict really is stricter: some real bodies fail it
    expect(verdicts.some(([, , json]) => json === false)).toBe(true);
  });

  it("the lenient booking schema still requires booking.uuid", () => {
    const seed = seedFixtures().find((f) => f.event === "booking_update")!.body as {
      booking: Record<string, unknown>;
    };
    const { uuid: _uuid, ...withoutUuid } = seed.booking;
    expect(lenient.booking_update({ ...seed, booking: withoutUuid })).toBe(false);
  });
});
