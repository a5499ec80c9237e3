// `pnpm bench` (add `--quick` for a smoke run): prints every table of docs/benchmarks.md.
import { cpus } from "node:os";
import { benchBundles, bundleModules, printBundleModules, printBundles } from "./bundle.ts";
import { benchCore, printCore } from "./core.ts";
import { benchFrameworks, printAnswerExperiment, printFrameworks } from "./frameworks.ts";
import { benchTelemetry, printTelemetry } from "./telemetry.ts";

const quick = process.argv.includes("--quick");
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
// `--frameworks=fastify,hono`: only those frameworks (node:http, the reference, is in the full list)
const frameworks = process.argv
  .find((a) => a.startsWith("--frameworks="))
  ?.slice(13)
  .split(",");
console.log(`# octo-webhooks benchmarks${quick ? " (quick mode: a smoke run, numbers not meaningful)" : ""}`);
console.log(`node ${process.version}, ${cpus().length} cores`);

if (!only || only.includes("core")) printCore(await benchCore(quick));
if (!only || only.includes("core")) printTelemetry(await benchTelemetry(quick));
if (!only || only.includes("bundle")) {
  printBundles(await benchBundles());
  printBundleModules(await bundleModules());
}
if (!only || only.includes("frameworks")) {
  const results = await benchFrameworks({
    quick,
    frameworks,
    octo: new Set(["express", "fastify", "hono", "koa"]),
  });
  printFrameworks(results);
  printAnswerExperiment(results);
}
if (!only || only.includes("memory")) {
  const { benchMemory, printMemory } = await import("./memory.ts");
  const totalMb = quick ? 20 : 100;
  printMemory(await benchMemory(undefined, totalMb), totalMb);
  const { benchTinyChunks, printTinyChunks } = await import("./memory-chunks.ts");
  printTinyChunks(await benchTinyChunks());
}
if (!only || only.includes("log")) {
  const { benchLog, printLog } = await import("./log.ts");
  printLog(await benchLog(quick));
}
if (!only || only.includes("reconcile")) {
  const { benchReconcile, printReconcile } = await import("./reconcile.ts");
  printReconcile(await benchReconcile(quick));
}
