import { describe, expect, it } from "vitest";
import { allAcceptedBodies, quirkFixtures } from "../../../fixtures/index.ts";
import { createOctoWebhooks, deliveryKey } from "../src/index.ts";
import { post } from "./helpers.ts";

/** The same value with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}

/** Every path to a leaf (a primitive or an empty container) of a JSON value. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== "object" || value === null) return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return [path];
  return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function withLeaf(value: unknown, path: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  const copy = structuredClone(value) as Record<string | number, unknown>;
  copy[head] = withLeaf(copy[head], rest, replace);
  return copy;
}

const mutate = (old: unknown): unknown =>
  typeof old === "string"
    ? `${old}x`
    : typeof old === "number"
      ? old + 1
      : typeof old === "boolean"
        ? !old
        : old === null
          ? 0
          : Array.isArray(old)
            ? [null]
            : { added: true };

describe("deliveryKey()", () => {
  const fixture = quirkFixtures().find((f) => f.name === "confirmed-with-diff")!.body;

  it("is 16 lower-case hex digits (usable as a queue job id: no `:`)", () => {
    expect(deliveryKey(fixture)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is the same whatever the key order and the whitespace", () => {
    const key = deliveryKey(fixture);
    expect(deliveryKey(reversed(fixture))).toBe(key);
    expect(deliveryKey(JSON.parse(JSON.stringify(fixture, null, 4)))).toBe(key);
    expect(deliveryKey(JSON.parse(JSON.stringify(reversed(fixture), null, "\t")))).toBe(key);
  });

  it("changes when any single value changes, anywhere in the body", () => {
    const key = deliveryKey(fixture);
    const paths = leaves(fixture);
    expect(paths.length).toBeGreaterThan(80);
    const keys = new Set([key]);
    for (const path of paths) keys.add(deliveryKey(withLeaf(fixture, path, mutate)));
    expect(keys.size).toBe(paths.length + 1);
  });

  it("tells apart values that a careless canonical form would merge", () => {
    const pairs: Array<[unknown, unknown]> = [
      [{ a: 1 }, { a: "1" }],
      [{ a: null }, { a: "null" }],
      [{ a: true }, { a: "true" }],
      [{ a: [] }, { a: {} }],
      [
        { a: 1, b: 2 },
        { a: 2, b: 1 },
      ],
      [{ a: { b: 1 } }, { a: { c: 1 } }],
      [{ ab: "c" }, { a: "bc" }],
      [
        [1, 2],
        [2, 1],
      ],
      [["a", "b"], ["ab"]],
      [{ a: [1] }, { a: 1 }],
      [{}, { a: null }],
      ["", []],
    ];
    for (const [a, b] of pairs) expect(deliveryKey(a), JSON.stringify([a, b])).not.toBe(deliveryKey(b));
  });

  it("ignores what JSON cannot carry (undefined members), like JSON.stringify", () => {
    expect(deliveryKey({ a: 1, b: undefined })).toBe(deliveryKey({ a: 1 }));
  });

  it("gives every accepted fixture its own key", () => {
    const bodies = allAcceptedBodies();
    expect(new Set(bodies.map((f) => deliveryKey(f.body))).size).toBe(bodies.length);
  });

  it("does not overflow the stack on a deeply nested body", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(deliveryKey({ booking: { uuid: "b", deep } })).toMatch(/^[0-9a-f]{16}$/);
  });

  it("still tells apart bodies that differ only deeper than the structural walk goes", () => {
    const nest = (leaf: string) => {
      let deep: unknown = leaf;
      for (let i = 0; i < 300; i++) deep = { d: deep };
      return deep;
    };
    expect(deliveryKey(nest("a"))).not.toBe(deliveryKey(nest("b")));
    expect(deliveryKey(nest("a"))).toBe(deliveryKey(nest("a")));
  });

  it("gives a value JSON cannot serialise a key of its own, never another's", () => {
    const cyclic: Record<string, unknown> = { booking: { uuid: "b" } };
    cyclic.self = cyclic;
    expect(deliveryKey(cyclic)).not.toBe(deliveryKey(cyclic));
  });

  it("is what handlers read as context.deliveryKey, from a raw or a pre-parsed body alike", async () => {
    const keys: string[] = [];
    const webhooks = createOctoWebhooks({ onBookingUpdate: (_p, c) => void keys.push(c.deliveryKey) });
    await webhooks.handle(post(JSON.stringify(fixture, null, 2)));
    await webhooks.handle({
      method: "POST",
      headers: {},
      body: reversed(fixture) as Record<string, unknown>,
    });
    await webhooks.receive(fixture);
    expect(keys).toEqual([deliveryKey(fixture), deliveryKey(fixture), deliveryKey(fixture)]);
  });

  it("receive() uses the key its caller gives (a queue that used it as a job id)", async () => {
    let key: string | undefined;
    const webhooks = createOctoWebhooks({ onBookingUpdate: (_p, c) => void (key = c.deliveryKey) });
    await webhooks.receive(fixture, { deliveryKey: "job-42" });
    expect(key).toBe("job-42");
  });
});
