import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("the package", () => {
  it("imports nothing from node: under src (it must run on Cloudflare Workers)", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts")) files.push(path);
      }
    };
    walk(join(root, "src"));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) =>
      /\bfrom\s+["'](node:|fs|path|crypto|buffer|stream|http|os|util)["'/]|require\(["']node:/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
