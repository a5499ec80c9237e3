// `pnpm bench` (add `--quick` for a smoke run): prints every table of docs/benchmarks.md.
import { benchCore, printCore } from "./core.ts";

const quick = process.argv.includes("--quick");
console.log(`# octo-webhooks benchmarks${quick ? " (quick mode: smoke run, numbers not meaningful)" : ""}`);
console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} cores`);

printCore(await benchCore(quick));

const { benchBundles, printBundles } = await import("./bundle.ts");
printBundles(await benchBundles());
