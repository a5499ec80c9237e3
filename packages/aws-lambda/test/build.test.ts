// The published build, as users load it: ESM and CommonJS, from dist (conformance/package.ts does this
// for the middleware adapters, which export `octoWebhooks`; this one exports `octoWebhooksHandler`).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

it("the build imports in Node both as ESM and as CJS, with the handler and core's exports", () => {
  expect(existsSync(`${root}dist/index.js`), "run the build first (pnpm build)").toBe(true);
  const probe =
    "[typeof m.octoWebhooksHandler, typeof m.NonRetryableError, typeof m.createOctoWebhooks].join()";
  const run = (args: string[]) =>
    execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trim();
  const esm = run([
    "--input-type=module",
    "-e",
    `import * as m from "./dist/index.js"; console.log(${probe})`,
  ]);
  const cjs = run(["-e", `const m = require("./dist/index.cjs"); console.log(${probe})`]);
  expect(esm).toBe("function,function,function");
  expect(cjs).toBe("function,function,function");
});
