// The published build, as users load it: ESM and CommonJS, from dist.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;

it("the build imports in Node both as ESM and as CJS", () => {
  expect(existsSync(`${root}dist/index.js`), "run the build first (pnpm build)").toBe(true);
  const probe =
    "[typeof m.OctoWebhooksModule?.forRoot, typeof m.OnOctoEvent, typeof m.OCTO_WEBHOOKS, typeof m.createOctoWebhooks].join()";
  const run = (args: string[]) =>
    execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trim();
  const esm = run([
    "--input-type=module",
    "-e",
    `import * as m from "./dist/index.js"; console.log(${probe})`,
  ]);
  const cjs = run(["-e", `const m = require("./dist/index.cjs"); console.log(${probe})`]);
  expect(esm).toBe("function,function,symbol,function");
  expect(cjs).toBe("function,function,symbol,function");
});
