// A structural hash of a JSON value: the same for the same content whatever the key order and the
// whitespace, without sorting keys or building a canonical string (both cost more than the rest of a
// delivery). Every member of an object is hashed on its own, key and value together, and the members
// are added up, so their order cannot matter. Two 32-bit lanes of MurmurHash3-style mixing give a
// 64-bit key: not cryptographic (see the README), and ample for telling deliveries apart (a collision
// among a million keys alive at once has a probability below 1e-7).
// `crypto.subtle.digest` would need a canonical string, be async and cost ten times as much (see
// docs/benchmarks.md); this is synchronous and runs unchanged on Workers.

const MAX_DEPTH = 100;

// the result of the last hash, as two lanes (module-level to avoid allocating a pair per value)
let laneA = 0;
let laneB = 0;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hashes the UTF-16 code units of `s`, two at a time, into both lanes, from seeds `a` and `b`. */
function hashString(s: string, a: number, b: number): void {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    k = Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
    a = (Math.imul(rotl(a ^ k, 13), 5) + 0xe6546b64) | 0;
    b = (Math.imul(rotl(b ^ k, 17), 9) + 0x38495ab5) | 0;
  }
  if (i < n) {
    const k = Math.imul(rotl(Math.imul(s.charCodeAt(i), 0xcc9e2d51), 15), 0x1b873593);
    a ^= k;
    b ^= k;
  }
  laneA = fmix(a ^ n);
  laneB = fmix(b ^ Math.imul(n, 0x9e3779b1));
}

function hashValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case "string":
      hashString(value, 0x5f3759df, 0x2545f491);
      return;
    case "number":
    case "bigint":
      hashString(String(value), 0x6a09e667, 0x3c6ef372);
      return;
    case "boolean":
      laneA = value ? 0x1f3d5b79 : 0x2e4c6a88;
      laneB = value ? 0x13579bdf : 0x2468ace0;
      return;
    case "object":
      break;
    default:
      // undefined, functions and symbols, which JSON has no way to carry
      laneA = 0x0badf00d;
      laneB = 0x7e57ab1e;
      return;
  }
  if (value === null) {
    laneA = 0x0badf00d;
    laneB = 0x7e57ab1e;
    return;
  }
  if (depth > MAX_DEPTH) {
    hashDeep(value);
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // a Date (or another JSON-able object) in a body a parser already produced
    hashValue((value as { toJSON(): unknown }).toJSON(), depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    let a = 0x510e527f ^ value.length;
    let b = 0x9b05688c ^ value.length;
    for (let i = 0; i < value.length; i++) {
      hashValue(value[i], depth + 1);
      a = (Math.imul(rotl(a ^ laneA, 13), 5) + 0xe6546b64) | 0;
      b = (Math.imul(rotl(b ^ laneB, 17), 9) + 0x38495ab5) | 0;
    }
    laneA = fmix(a);
    laneB = fmix(b + a);
    return;
  }
  let sumA = 0;
  let sumB = 0;
  let count = 0;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const member = record[key];
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    count++;
    hashValue(member, depth + 1);
    // the key is hashed from the value's hash, so that {a: 1, b: 2} and {a: 2, b: 1} differ
    hashString(key, laneA, laneB);
    sumA = (sumA + laneA) | 0;
    sumB = (sumB + laneB) | 0;
  }
  laneA = fmix(sumA ^ Math.imul(count, 0x27d4eb2f) ^ 0x7b);
  laneB = fmix(sumB + Math.imul(count, 0x165667b1) + 0x7d);
}

let unserialisable = 0;
const processNonce = Math.random().toString(36).slice(2);

/**
 * Past MAX_DEPTH (no real payload nests that deep), an order-sensitive fallback that cannot overflow
 * the stack. A value JSON cannot serialise either (cyclic, or deeper still) gets a key of its own, so
 * that it can never be taken for a duplicate of another: suppression may miss it, never lose it.
 */
function hashDeep(value: object): void {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    text = `\u0000unserialisable ${processNonce} ${++unserialisable}`;
  }
  hashString(text, 0x1b873593, 0xcc9e2d51);
}

const hex = (x: number) => (x >>> 0).toString(16).padStart(8, "0");

/**
 * The key of a delivery: a hash of its body that stays the same when the sender re-sends it with its
 * keys in another order or other whitespace, and changes when any value changes. OCTO deliveries
 * carry no id; duplicate suppression claims this key, handlers read it as `context.deliveryKey`, and
 * a queue can use it as a job id (16 lower-case hex digits: no `:`).
 *
 * @example
 * ```ts
 * deliveryKey({ a: 1, b: [true, null] }) === deliveryKey(JSON.parse('{ "b": [true, null], "a": 1 }')); // true
 * ```
 */
export function deliveryKey(body: unknown): string {
  hashValue(body, 0);
  return hex(laneA) + hex(laneB);
}
