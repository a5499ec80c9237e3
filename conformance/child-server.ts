// An app under test in a process of its own, for the cases that need one: a client and a server on
// different cores (the races of a real network), and the server's resident memory, which a test process
// full of other work could not tell apart. Start it with `forkServer()`; it talks to its parent over IPC.

import type { FrameworkUnderTest } from "./app.ts";
import { PATH } from "./app.ts";

const [name = "", parser = "none", timeout = "500"] = process.argv.slice(2);
// a framework of frameworks/<family>.ts, exported in `<family>Frameworks` ("express 4", "nestjs (fastify)")
const [family = ""] = name.split(" ");
const module = (await import(`./frameworks/${family}.ts`)) as Record<string, FrameworkUnderTest[]>;
const framework = module[`${family}Frameworks`]?.find((f) => f.name === name);
if (framework === undefined || process.send === undefined) throw new Error(`no framework named ${name}`);
const send = process.send.bind(process);

const problems: string[] = [];
process.on("unhandledRejection", (reason) => void problems.push(`unhandled rejection: ${String(reason)}`));
process.on("uncaughtException", (error) => void problems.push(`uncaught exception: ${error.stack}`));

let handled = 0;
const target = await framework.start({
  options: {
    path: PATH,
    bodyTimeoutMs: Number(timeout),
    logger: {},
    onAny: () => {
      handled++;
    },
  },
  parser,
  mount: "app",
});

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
setInterval(sample, 5).unref();

process.on("message", (message: { type: string }) => {
  if (message.type === "settle") {
    collect();
    collect();
    peak = process.memoryUsage.rss();
    send({ type: "settled", rss: peak });
  } else if (message.type === "measure") {
    collect();
    collect();
    send({ type: "measured", rss: process.memoryUsage.rss() });
  } else if (message.type === "report") {
    sample();
    send({ type: "report", peak, rss: process.memoryUsage.rss(), handled, problems });
  } else if (message.type === "stop") {
    void target.close().then(() => process.exit(0));
  }
});
send({ type: "ready", origin: target.origin });
