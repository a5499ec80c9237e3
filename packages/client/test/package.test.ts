import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("the package", () => {
  it("imports nothing from node: under src (it must run on Workers, Deno, Bun and browsers)", () => {
    const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(root, "src", f));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) =>
      /\bfrom\s+["'](node:|fs|path|crypto|buffer|stream|http|https|os|util|net)["'/]|require\(|\bBuffer\./.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
