// Writes the JSON Schema files shipped in `schemas/` from the zod schemas of `src/schemas`.
// Run `pnpm --filter @octo-webhooks/core generate:schemas` after changing a schema; a test fails
// while the checked-in files differ from what this renders.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { lenientSchemas, strictSchemas } from "../src/schemas/index.ts";

type Schemas = typeof lenientSchemas;

export const SCHEMAS_DIR: string = fileURLToPath(new URL("../schemas", import.meta.url));

/** The files, by name: each payload schema in its lenient build and its strict (`.strict.json`) build. */
const FILES = {
  "booking-update": {
    schema: "BookingUpdate",
    title: "OCTO booking_update webhook body",
  },
  "availability-update": {
    schema: "AvailabilityUpdate",
    title: "OCTO availability_update webhook body",
  },
  "order-update": {
    schema: "OrderUpdate",
    title: "OCTO order_update webhook body",
  },
  "product-update": {
    schema: "ProductUpdate",
    title: "OCTO product_update webhook body",
  },
  booking: { schema: "Booking", title: "OCTO booking" },
  availability: { schema: "Availability", title: "OCTO availability" },
  order: { schema: "Order", title: "OCTO order (octo/cart)" },
  product: { schema: "Product", title: "OCTO product" },
} as const satisfies Record<string, { schema: keyof Schemas; title: string }>;

/** Shared parts, emitted once under `$defs` with these names. */
const DEFS = [
  "Order",
  "Product",
  "Option",
  "Unit",
  "OptionRestrictions",
  "UnitRestrictions",
  "Booking",
  "Availability",
  "UnitItem",
  "Contact",
  "Ticket",
  "DeliveryOption",
  "Cancellation",
  "Pricing",
  "UnitPricing",
  "Tax",
  "BookingAvailability",
  "OpeningHours",
  "Webhook",
  "Diff",
  "Supplier",
] as const satisfies ReadonlyArray<keyof Schemas>;

const DESCRIPTION = {
  lenient:
    "What real OCTO senders send, as @octo-webhooks/core accepts it by default: fields may be missing or null, enums are open (known values listed), timestamps are any string, unknown fields are kept.",
  strict:
    "The official OCTO shape, as @octo-webhooks/core checks it with validation: strictValidation: required fields, closed enums, ISO 8601 UTC timestamps; unknown fields are kept.",
};

function render(
  schemas: Record<keyof Schemas, z.ZodMiniType>,
  mode: "lenient" | "strict",
  name: keyof typeof FILES,
): string {
  const { schema, title } = FILES[name];
  const registry = z.registry<{ id: string }>();
  for (const def of DEFS) if (def !== schema) registry.add(schemas[def], { id: def });
  const json = z.toJSONSchema(schemas[schema], {
    target: "draft-2020-12",
    io: "input",
    metadata: registry,
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  const document = {
    $schema,
    title: mode === "strict" ? `${title} (strict)` : title,
    description: DESCRIPTION[mode],
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Every file this script writes, by file name, with its content. */
export function renderSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(FILES) as Array<keyof typeof FILES>) {
    files[`${name}.json`] = render(lenientSchemas, "lenient", name);
    files[`${name}.strict.json`] = render(strictSchemas, "strict", name);
  }
  return files;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const file of readdirSync(SCHEMAS_DIR)) rmSync(join(SCHEMAS_DIR, file));
  const files = renderSchemas();
  for (const [file, content] of Object.entries(files)) writeFileSync(join(SCHEMAS_DIR, file), content);
  console.log(`wrote ${Object.keys(files).length} JSON Schema files to ${SCHEMAS_DIR}`);
}
