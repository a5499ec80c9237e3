// Generators of hostile and broken deliveries for the fuzz tests (fast-check, seeded and reproducible).
import fc from "fast-check";
import { allAcceptedBodies } from "../fixtures/index.ts";

export interface FuzzRequest {
  name: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();
const fixtures = allAcceptedBodies().map((f) => JSON.stringify(f.body));
const DANGEROUS_KEYS = ["__proto__", "constructor", "prototype"];

const fixtureText = fc.constantFrom(...fixtures);

/** All paths (as key arrays) of a JSON value, for mutations at every depth. */
function pathsOf(value: unknown, prefix: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pathsOf(v, [...prefix, i], out);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: PropertyKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<PropertyKey, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  node[path[path.length - 1] as PropertyKey] = value;
  return copy;
}

const wrongValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, "", "x", [], {}, [null], { a: 1 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 50 }),
);

/** A real fixture with one value, at any depth, replaced by a value of another type. */
const wrongTypeAtPath = fixtureText.chain((text) => {
  const parsed = JSON.parse(text);
  const paths = pathsOf(parsed);
  return fc
    .tuple(fc.constantFrom(...paths), wrongValue)
    .map(([path, value]) => JSON.stringify(setAt(parsed, path, value)));
});

/** A real fixture cut at a random byte. */
const truncated = fixtureText.chain((text) => fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)));

/** A real fixture with random bytes overwritten. */
const mutatedBytes = fixtureText.chain((text) =>
  fc
    .array(fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((edits) => {
      const bytes = encoder.encode(text);
      for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
      return bytes;
    }),
);

/** `__proto__`, `constructor` and `prototype` keys injected at a random depth of a real fixture. */
export const pollutedBody = fixtureText.chain((text) => {
  const parsed = JSON.parse(text);
  const paths = pathsOf(parsed).filter((p) => {
    let node: unknown = parsed;
    for (const k of p) node = (node as Record<PropertyKey, unknown>)[k];
    return node !== null && typeof node === "object" && !Array.isArray(node);
  });
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom(...DANGEROUS_KEYS)).map(([path, key]) => {
    // write the key into the JSON text itself: assigning __proto__ on an object would not create a key
    const marker = "\u0000POLLUTE\u0000";
    const withMarker = setAt(parsed, [...path, marker], { polluted: "yes", isAdmin: true });
    return JSON.stringify(withMarker).replace(JSON.stringify(marker), JSON.stringify(key));
  });
});

const deepNesting = fc
  .integer({ min: 100, max: 20_000 })
  .chain((depth) =>
    fc.constantFrom(
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
      `{"booking":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
      `{"webhook":{"event":"booking_update"},"booking":{"uuid":"u","x":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
    ),
  );

const hugeValues = fc.constantFrom(
  JSON.stringify({ booking: { uuid: "u", notes: "x".repeat(900_000) } }),
  JSON.stringify({ booking: { uuid: "u", unitItems: Array.from({ length: 60_000 }, () => 1) } }),
  JSON.stringify({ booking: { uuid: "x".repeat(200_000) } }),
  `{"booking":{"uuid":"u","notes":"${"é".repeat(400_000)}"}}`,
  "[".repeat(2_000_000),
  " ".repeat(1_100_000),
);

const duplicateKeys = fixtureText.map((text) =>
  text.replace(/^\{/, '{"booking":{"uuid":1},"webhook":7,"availability":"x",'),
);

const bodyText = fc.oneof(
  { arbitrary: wrongTypeAtPath, weight: 5 },
  { arbitrary: truncated, weight: 3 },
  { arbitrary: pollutedBody, weight: 2 },
  { arbitrary: duplicateKeys, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeValues, weight: 1 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
);

const bodyBytes = fc.oneof(
  { arbitrary: bodyText.map((t) => encoder.encode(t)), weight: 8 },
  { arbitrary: mutatedBytes, weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 2048 }), weight: 1 },
  // invalid UTF-8 inside an otherwise valid body
  {
    arbitrary: fixtureText.map(
      (t) => new Uint8Array([...encoder.encode(t.slice(0, -2)), 0xc3, 0x28, 0x7d, 0x7d]),
    ),
    weight: 1,
  },
);

const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 14 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/vnd.octo+json",
      "text/plain",
      "text/html",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/octet-stream",
      "application/xml",
      "",
      ";;;",
      "application/json; charset=latin1",
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), weight: 1 },
);

/** `undefined` leaves the header out. */
const authorization = (valid: string) =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 14 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        "",
        "Basic",
        "Basic ",
        "Basic ====",
        "Basic %%%",
        "Bearer abc",
        `Basic ${btoa("octo")}`,
        `Basic ${btoa(":")}`,
        `Basic ${btoa("octo:")}`,
        `basic ${valid.slice(6)}`,
        `Basic ${valid.slice(6, -2)}`,
        `${valid}x`,
        `Basic ${btoa("\u00ff\u00fe:\u00fd")}`,
      ),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), weight: 1 },
  );

const method = fc.oneof(
  { arbitrary: fc.constant("POST"), weight: 12 },
  { arbitrary: fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "OPTIONS"), weight: 1 },
);

/** A whole request: method, content type, credentials (valid ones most of the time) and body. */
export function fuzzRequest(validAuthorization: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ method, contentType, authorization: authorization(validAuthorization), body: bodyBytes })
    .map(({ method, contentType, authorization, body }) => {
      const headers: Record<string, string> = {};
      if (contentType !== "") headers["content-type"] = contentType;
      if (authorization !== undefined) headers.authorization = authorization;
      return { name: `${method} ${contentType} (${body.byteLength} bytes)`, method, headers, body };
    });
}

/** Statuses a receiver may answer to anything a stranger sends (no handler throws in the fuzz receivers). */
export const DOCUMENTED_STATUSES = new Set([200, 400, 401, 405, 413, 415, 422]);
