import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("the package", () => {
  it("the build imports in Node both as ESM and as CJS", () => {
    expect(existsSync(join(root, "dist/index.js")), "run the build first (pnpm build)").toBe(true);
    const probe =
      "typeof m.createOctoQueue, typeof m.createOctoWorker, typeof m.createRedisStore, typeof m.jobIdOf";
    const esm = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as m from ${JSON.stringify(join(root, "dist/index.js"))}; console.log(${probe})`,
      ],
      { encoding: "utf8", cwd: root },
    );
    const cjs = execFileSync(
      process.execPath,
      ["-e", `const m = require(${JSON.stringify(join(root, "dist/index.cjs"))}); console.log(${probe})`],
      { encoding: "utf8", cwd: root },
    );
    expect(esm.trim()).toBe("function function function function");
    expect(cjs.trim()).toBe("function function function function");
  });
});
