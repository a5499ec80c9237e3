// Generators of hostile and broken deliveries for the fuzz tests (fast-check, seeded and reproducible).
import fc from "fast-check";
import { allAcceptedBodies } from "../fixtures/index.ts";

export interface FuzzRequest {
  method: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  /** The `Authorization` header sent, if any: it must appear in no answer and no log line. */
  authorization: string | undefined;
}

const encoder = new TextEncoder();
const fixtures = allAcceptedBodies().map((f) => JSON.stringify(f.body));
const DANGEROUS_KEYS = ["__proto__", "constructor", "prototype"] as const;

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

/** The paths of `value` that hold a (non-array) object. */
function objectPathsOf(value: unknown): PropertyKey[][] {
  return pathsOf(value).filter((p) => {
    let node: unknown = value;
    for (const k of p) node = (node as Record<PropertyKey, unknown>)[k];
    return node !== null && typeof node === "object" && !Array.isArray(node);
  });
}

function setAt(root: unknown, path: PropertyKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<PropertyKey, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  node[path[path.length - 1] as PropertyKey] = value;
  return copy;
}

/**
 * Writes `"key": <valueText>` into the object at `path` of `parsed`, in the JSON text itself, first or
 * last among its keys: assigning `__proto__` on an object would not create a key, and a key that is
 * already there could not be written twice.
 */
function withRawKey(parsed: unknown, path: PropertyKey[], key: string, valueText: string, first: boolean) {
  const marker = "\u0000RAW-KEY\u0000";
  // biome-ignore lint/suspicious/noExplicitAny: walking a JSON value
  const object = { ...(path.reduce((node: any, k) => node[k], parsed) as object) };
  const edited = first ? { [marker]: marker, ...object } : { ...object, [marker]: marker };
  const quoted = JSON.stringify(marker);
  return JSON.stringify(setAt(parsed, path, edited)).replace(
    `${quoted}:${quoted}`,
    `${JSON.stringify(key)}:${valueText}`,
  );
}

const wrongValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    "",
    "x",
    [],
    {},
    [null],
    { a: 1 },
    "\ud800",
    "\u0000",
    "2026-13-45T99:99:99Z",
    "constructor",
    "__proto__",
  ),
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

/** What a polluting key carries (JSON text): the classic payloads of `merge`/`set` style pollution. */
const pollutingValue = fc.constantFrom(
  '{"polluted":"yes","isAdmin":true}',
  '{"prototype":{"polluted":"yes","isAdmin":true}}',
  '{"__proto__":{"polluted":"yes","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '"polluted"',
  "null",
);

/**
 * `__proto__`, `constructor` and `prototype` keys injected into any object of a real fixture, at any
 * depth (the top level included), first or last among its keys, written into the JSON text itself.
 */
export const pollutedBody = fixtureText.chain((text) => {
  const parsed = JSON.parse(text);
  return fc
    .tuple(
      fc.constantFrom(...objectPathsOf(parsed)),
      fc.constantFrom(...DANGEROUS_KEYS),
      pollutingValue,
      fc.boolean(),
    )
    .map(([path, key, value, first]) => withRawKey(parsed, path, key, value, first));
});

/** Form bodies that pollute through a query-string parser (`qs`), for the parsers that read forms. */
export const pollutedForm = fc.constantFrom(
  "__proto__[polluted]=yes&booking[uuid]=b-1",
  "constructor[prototype][polluted]=yes",
  "booking[__proto__][polluted]=yes&booking[uuid]=b-1",
  "__proto__.polluted=yes",
  "a[constructor][prototype][isAdmin]=true",
);

/** The same key twice in one object, at any depth: the second value (of another type) wins or loses. */
const duplicateKeys = fixtureText.chain((text) => {
  const parsed = JSON.parse(text);
  const candidates = objectPathsOf(parsed).flatMap((path) =>
    // biome-ignore lint/suspicious/noExplicitAny: walking a JSON value
    Object.keys(path.reduce((node: any, k) => node[k], parsed) as object).map((key) => ({ path, key })),
  );
  return fc
    .tuple(fc.constantFrom(...candidates), wrongValue, fc.boolean())
    .map(([{ path, key }, value, first]) => withRawKey(parsed, path, key, JSON.stringify(value), first));
});

/** Event names that collide with internal handler lists, lifecycle events and `Object.prototype`. */
const eventName = fc.constantFrom(
  "*",
  "unknown",
  "error",
  "duplicate",
  "stale",
  "booking.confirmed",
  "booking.cancelled",
  "order.cancelled",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "booking_update",
  "availability_update",
  "order_update",
  "product_update",
  "transfer_update",
  " ",
  "",
  "x".repeat(5000),
);
const eventNameBody = fc
  .tuple(eventName, fc.constantFrom<unknown>(undefined, {}, { id: "r-1" }, "x", null))
  // a computed `[event]` key is an own key even for `__proto__`
  .map(([event, resource]) =>
    JSON.stringify({ webhook: { event }, ...(resource === undefined ? {} : { [event]: resource }) }),
  );

const deepNesting = fc
  .integer({ min: 100, max: 20_000 })
  .chain((depth) =>
    fc.constantFrom(
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
      `{"booking":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
      `{"webhook":{"event":"booking_update"},"booking":{"uuid":"u","x":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
      `{"webhook":{"event":"order_update"},"order":${'{"__proto__":'.repeat(depth)}1${"}".repeat(depth)}}`,
    ),
  );

const hugeValues = fc.constantFrom(
  JSON.stringify({ booking: { uuid: "u", notes: "x".repeat(900_000) } }),
  JSON.stringify({ booking: { uuid: "u", unitItems: Array.from({ length: 60_000 }, () => 1) } }),
  JSON.stringify({ booking: { uuid: "x".repeat(200_000) } }),
  JSON.stringify({
    booking: { uuid: "u" },
    ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
  }),
  `{"booking":{"uuid":"u","notes":"${"é".repeat(400_000)}"}}`,
  "[".repeat(2_000_000),
  " ".repeat(1_100_000),
);

const bodyText = fc.oneof(
  { arbitrary: wrongTypeAtPath, weight: 5 },
  { arbitrary: truncated, weight: 3 },
  { arbitrary: pollutedBody, weight: 2 },
  { arbitrary: duplicateKeys, weight: 2 },
  { arbitrary: eventNameBody, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeValues, weight: 1 },
  { arbitrary: pollutedForm, weight: 1 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200, unit: "binary" }), weight: 1 },
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
  // a byte order mark, UTF-16 and a lone continuation byte in front of a valid body
  {
    arbitrary: fc
      .tuple(fixtureText, fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x80]))
      .map(([t, prefix]) => new Uint8Array([...prefix, ...encoder.encode(t)])),
    weight: 1,
  },
);

const printable = (maxLength: number) =>
  fc.string({ maxLength }).filter((s) => /^[\x20-\x7e]*$/.test(s) && s.trim() === s);

const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 14 },
  {
    arbitrary: fc.constantFrom(
      "",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
      'application/json; charset="utf-8"',
      "APPLICATION/JSON",
      "application/json; charset=latin1",
      "application/json; charset=utf-16",
      "application/json; charset=nonsense",
      "application/vnd.octo+json",
      "application/merge-patch+json",
      "application/jsonp",
      "application/json, text/plain",
      "application/json; boundary=x; charset=utf-8; q=0.1",
      "text/json",
      "text/plain",
      "text/html",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/octet-stream",
      "application/xml",
      ";;;",
      "/",
      "*/*",
    ),
    weight: 4,
  },
  { arbitrary: printable(40), weight: 1 },
);

/** `undefined` leaves the header out; body parsers in front decode (or refuse) a content coding. */
const contentEncoding = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 30 },
  {
    arbitrary: fc.constantFrom("identity", "gzip", "deflate", "br", "x-unknown", "gzip, identity"),
    weight: 1,
  },
);

/** `undefined` leaves the header out. */
const authorization = (valid: string) => {
  const [user = "", pass = ""] = atob(valid.slice(6)).split(":");
  return fc.oneof(
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
        `Basic ${btoa(user)}`,
        `Basic ${btoa(":")}`,
        `Basic ${btoa(`${user}:`)}`,
        `Basic ${btoa(`:${user}:`)}`,
        `basic ${valid.slice(6)}`,
        `BASIC ${valid.slice(6)}`,
        `Basic ${valid.slice(6, -2)}`,
        `Basic ${valid.slice(6)}AA==`,
        `${valid}x`,
        `${valid}, Basic ${btoa("a:b")}`,
        `Bearer ${valid.slice(6)}`,
        `Digest username="${user}"`,
        // the password (its "ä") encoded as Latin-1 instead of UTF-8: `btoa` takes Latin-1
        `Basic ${btoa(`${user}:${pass}`)}`,
        `Basic ${btoa("\u00ff\u00fe:\u00fd")}`,
        `Basic ${btoa("x".repeat(6000))}`,
      ),
      weight: 4,
    },
    { arbitrary: printable(60), weight: 1 },
  );
};

const method = fc.oneof(
  { arbitrary: fc.constant("POST"), weight: 12 },
  { arbitrary: fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "post"), weight: 1 },
);

const preview = (body: Uint8Array) => {
  const text = new TextDecoder().decode(body.subarray(0, 300));
  return JSON.stringify(body.byteLength > 300 ? `${text}...` : text);
};

/** A request as the fuzz tests send it; prints as one line (with a body preview) in a counterexample. */
export function toRequest(method: string, headers: Record<string, string>, body: Uint8Array): FuzzRequest {
  const request: FuzzRequest = {
    method,
    headers,
    body: body as Uint8Array<ArrayBuffer>,
    authorization: headers.authorization,
  };
  Object.defineProperty(request, fc.toStringMethod, {
    value: () => `${method} ${JSON.stringify(headers)} (${body.byteLength} bytes) ${preview(body)}`,
  });
  return request;
}

/**
 * A whole request: method, content type and coding (unless `contentCodings` is false), credentials
 * (valid ones most of the time) and body.
 */
export function fuzzRequest(
  validAuthorization: string,
  { contentCodings = true } = {},
): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method,
      contentType,
      contentEncoding: contentCodings ? contentEncoding : fc.constant(undefined),
      authorization: authorization(validAuthorization),
      body: bodyBytes,
    })
    .map(({ method, contentType, contentEncoding, authorization, body }) => {
      const headers: Record<string, string> = {};
      if (contentType !== "") headers["content-type"] = contentType;
      if (contentEncoding !== undefined) headers["content-encoding"] = contentEncoding;
      if (authorization !== undefined) headers.authorization = authorization;
      return toRequest(method, headers, body);
    });
}

/**
 * Polluting deliveries with valid credentials: JSON with `__proto__`/`constructor`/`prototype` keys at
 * any depth, and forms that pollute through a query-string parser (for the parsers that read forms).
 */
export function pollutedRequest(validAuthorization: string): fc.Arbitrary<FuzzRequest> {
  const post = (contentType: string) => (text: string) =>
    toRequest(
      "POST",
      { "content-type": contentType, authorization: validAuthorization },
      encoder.encode(text),
    );
  return fc.oneof(
    { arbitrary: pollutedBody.map(post("application/json")), weight: 6 },
    {
      arbitrary: deepNesting.filter((t) => t.includes("__proto__")).map(post("application/json")),
      weight: 1,
    },
    { arbitrary: pollutedForm.map(post("application/x-www-form-urlencoded")), weight: 1 },
  );
}
