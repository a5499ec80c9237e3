// `pnpm worker`: the worker, which finishes its running jobs on SIGTERM.
import { createWorker } from "./app.ts";

const worker = createWorker();
await worker.waitUntilReady();
console.log("working on OCTO deliveries");
process.on("SIGTERM", () => void worker.close());
