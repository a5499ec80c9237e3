/** Runs ack-first work in the background: at most `concurrency` at once, at most `maxQueued` waiting. */
export interface TaskQueue {
  /** Starts `task` now or when a slot frees; `false` (and nothing queued) when the queue is full. */
  push(task: () => Promise<void>): boolean;
  /** Counts work the platform keeps alive (`waitUntil`) so that `drain()` waits for it too. */
  track(work: Promise<void>): void;
  /** Resolves once nothing runs or waits. */
  drain(): Promise<void>;
  /** Tasks running or waiting. */
  readonly pending: number;
}

// `setImmediate` where there is one (Node): `setTimeout(0)` waits at least a millisecond there
const nextMacrotask: (callback: () => void) => unknown =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === "function"
    ? (globalThis as unknown as { setImmediate: (callback: () => void) => unknown }).setImmediate
    : (callback) => setTimeout(callback, 0);

/**
 * Runs `task` in a later macrotask, so that the answer is written before any of it runs (a
 * microtask would run before the adapter's `await handle()` resumes).
 */
export function later(task: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => void nextMacrotask(resolve)).then(task);
}

/** Never rejects: tasks handle their own errors (ack-first reports them to `onError`). */
export function createTaskQueue(concurrency: number, maxQueued: number): TaskQueue {
  // a FIFO with a moving head: `shift()` would copy the whole waiting list for every task started
  let waiting: Array<(() => Promise<void>) | undefined> = [];
  let head = 0;
  const waitingCount = () => waiting.length - head;
  const takeNext = (): (() => Promise<void>) | undefined => {
    if (head === waiting.length) return undefined;
    const next = waiting[head];
    waiting[head++] = undefined;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    return next;
  };
  let running = 0;
  let tracked = 0;
  let idle: Array<() => void> = [];

  const settle = () => {
    if (running === 0 && tracked === 0 && waitingCount() === 0 && idle.length > 0) {
      const resolvers = idle;
      idle = [];
      for (const resolve of resolvers) resolve();
    }
  };
  const start = (task: () => Promise<void>) => {
    running++;
    void task()
      .catch(() => {})
      .finally(() => {
        running--;
        const next = takeNext();
        if (next) start(next);
        else settle();
      });
  };
  // New work starts in a later macrotask, all at once and in arrival order, so that its answer is
  // written before any of it runs; work that waited for a slot starts as soon as one frees.
  let pumping = false;
  const pump = () => {
    pumping = false;
    for (let next = running < concurrency ? takeNext() : undefined; next; ) {
      start(next);
      next = running < concurrency ? takeNext() : undefined;
    }
  };

  return {
    push(task) {
      if (waitingCount() >= maxQueued + Math.max(0, concurrency - running)) return false;
      waiting.push(task);
      if (!pumping) {
        pumping = true;
        nextMacrotask(pump);
      }
      return true;
    },
    track(work) {
      tracked++;
      void work
        .catch(() => {})
        .finally(() => {
          tracked--;
          settle();
        });
    },
    drain() {
      if (running === 0 && tracked === 0 && waitingCount() === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get pending() {
      return running + waitingCount() + tracked;
    },
  };
}
