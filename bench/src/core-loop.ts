// The loop `pnpm bench:instructions core` counts, run under callgrind by instructions.ts: the seed
// body's `JSON.parse` alone, or `handle()` without or with Basic auth (the three tasks of
// bench/src/core.ts), warmed up uncounted, then `windows` windows of `calls` calls, each counted and
// dumped by this process itself (`callgrind_control` on its own pid): only the loop is counted.
// `node --import tsx src/core-loop.ts <parse|handle|auth> <warmup> <windows> <calls>`
import { spawn } from "node:child_process";
import { seedBooking } from "./bodies.ts";
import { coreCalls } from "./core.ts";

export const CORE_TASKS = ["parse", "handle", "auth"] as const;
export type CoreTask = (typeof CORE_TASKS)[number];

async function main() {
  const [task, warmup, windows, calls] = process.argv.slice(2) as [CoreTask, string, string, string];
  const { text } = seedBooking();
  const { handle, handleAuth } = coreCalls(text);
  let sink: unknown;
  const run = async (n: number) => {
    if (task === "parse") for (let i = 0; i < n; i++) sink = JSON.parse(text);
    else if (task === "handle") for (let i = 0; i < n; i++) sink = await handle();
    else for (let i = 0; i < n; i++) sink = await handleAuth();
  };
  /** callgrind_control on this process; it is answered only while this process runs, so spin until it exits. */
  const control = async (...args: string[]) => {
    const child = spawn("callgrind_control", [...args, String(process.pid)], { stdio: "ignore" });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    while (!exited) await new Promise((resolve) => setImmediate(resolve));
  };
  await run(Number(warmup));
  for (let window = 0; window < Number(windows); window++) {
    await control("--instr=on");
    await run(Number(calls));
    await control("--instr=off");
    await control("--dump");
  }
  void sink;
}

if (CORE_TASKS.includes(process.argv[2] as CoreTask)) await main();
