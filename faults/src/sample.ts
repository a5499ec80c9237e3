// The soak's view of a process: every `everyMs`, one `SAMPLE <json>` line on stdout with the RSS (MB),
// the heap in use (array buffers included), the event-loop delay's p99 over the interval (ms) and the count of active handles (sockets, timers,
// servers), so that growth shows.
import { monitorEventLoopDelay } from "node:perf_hooks";

/** One sample of a process. */
export interface Sample {
  rssMb: number;
  /**
   * The heap in use and the array buffers (Buffers) JS still holds, after a collection when the process
   * runs with `--expose-gc`: a leak of either shows here, while RSS also moves with the allocator.
   */
  heapMb: number;
  loopP99Ms: number;
  handles: number;
}

/** Prints a sample every `everyMs`, without keeping the process alive. */
export function startSampling(everyMs: number): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  setInterval(() => {
    (globalThis as { gc?: () => void }).gc?.(); // what is still referenced, not what awaits collection
    const memory = process.memoryUsage();
    const sample: Sample = {
      rssMb: mb(memory.rss),
      heapMb: mb(memory.heapUsed + memory.arrayBuffers),
      loopP99Ms: Math.round((delay.percentile(99) / 1e6) * 10) / 10,
      handles: process.getActiveResourcesInfo().filter((kind) => kind !== "Timeout").length,
    };
    delay.reset();
    console.log(`SAMPLE ${JSON.stringify(sample)}`);
  }, everyMs).unref();
}
