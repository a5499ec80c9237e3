import * as z from "zod/mini";

/**
 * Every payload schema is written once, as a function of a "kit", and built twice:
 * - `lenient`: what real senders send. Fields may be missing or `null`, enums are open, timestamps are
 *   any string, objects keep unknown keys. Only the fields marked `required` must be present.
 * - `strict`: the official OCTO shape. Required fields, closed enums, ISO 8601 UTC timestamps.
 * The TypeScript types users see are inferred from the lenient build, so no payload type is written by hand.
 */
export type Mode = "lenient" | "strict";

type Schema = z.ZodMiniType;
type Loose<T extends Schema> = z.ZodMiniOptional<z.ZodMiniNullable<T>>;

/** A string enum that autocompletes its known values but accepts any string. */
export type ZodOpenEnum<V extends string> = z.ZodMiniType<V | (string & {}), unknown>;

export interface Kit<M extends Mode> {
  readonly mode: M;
  /** Always present in the official shape; may be missing or null in real payloads. */
  field<T extends Schema>(schema: T): M extends "strict" ? T : Loose<T>;
  /** `null` allowed by the official shape; may also be missing in real payloads. */
  nullable<T extends Schema>(schema: T): M extends "strict" ? z.ZodMiniNullable<T> : Loose<T>;
  /** Optional in the official shape (capability fields); may also be null in real payloads. */
  optional<T extends Schema>(schema: T): M extends "strict" ? z.ZodMiniOptional<T> : Loose<T>;
  /** Required in both modes: what dispatch and delivery semantics depend on. */
  required<T extends Schema>(schema: T): T;
  /**
   * A known set of values: closed when strict, open when lenient. Typed as open in both builds (the
   * types users see come from the lenient build; a conditional type here would erase the literals).
   */
  oneOf<const V extends readonly [string, ...string[]]>(values: V): ZodOpenEnum<V[number]>;
  /** A UTC timestamp: ISO 8601 with `Z` when strict; any string when lenient (`"2021-10-27 23:28:43Z"` is real). */
  utc(): z.ZodMiniType<string, unknown>;
  /** An object: unknown keys are always kept (capabilities and vendors add fields). */
  object<S extends z.core.$ZodLooseShape>(shape: S): z.ZodMiniObject<S, z.core.$loose>;
}

function openEnum<V extends readonly [string, ...string[]]>(values: V): ZodOpenEnum<V[number]> {
  return z.union([z.enum(values), z.string()]) as unknown as ZodOpenEnum<V[number]>;
}

const loose = <T extends Schema>(schema: T): Loose<T> => z.optional(z.nullable(schema));

// The conditional return types above cannot be checked against one implementation, hence the casts.
type AnyKit = { [K in keyof Kit<Mode>]: unknown };

export const lenientKit = {
  mode: "lenient",
  field: loose,
  nullable: loose,
  optional: loose,
  required: (schema: Schema) => schema,
  oneOf: openEnum,
  utc: () => z.string(),
  object: z.looseObject,
} satisfies AnyKit as unknown as Kit<"lenient">;

export const strictKit = {
  mode: "strict",
  field: (schema: Schema) => schema,
  nullable: z.nullable,
  optional: z.optional,
  required: (schema: Schema) => schema,
  oneOf: (values: readonly [string, ...string[]]) => z.enum(values),
  utc: () => z.iso.datetime(),
  object: z.looseObject,
} satisfies AnyKit as unknown as Kit<"strict">;
