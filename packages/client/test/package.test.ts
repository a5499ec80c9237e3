import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

  it("the build imports in Node both as ESM and as CJS", () => {
    expect(existsSync(join(root, "dist/index.js")), "run the build first (pnpm build)").toBe(true);
    const probe = "typeof m.createOctoClient, typeof m.webhookUrl, typeof m.OctoApiError";
    const esm = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as m from ${JSON.stringify(join(root, "dist/index.js"))}; console.log(${probe})`,
      ],
      { encoding: "utf8" },
    );
    const cjs = execFileSync(
      process.execPath,
      ["-e", `const m = require(${JSON.stringify(join(root, "dist/index.cjs"))}); console.log(${probe})`],
      { encoding: "utf8" },
    );
    expect(esm.trim()).toBe("function function function");
    expect(cjs.trim()).toBe("function function function");
  });
});
