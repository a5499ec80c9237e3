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

/**
 * Runs `task` in a later macrotask, so that the answer is written before any of it runs (a
 * microtask would run before the adapter's `await handle()` resumes).
 */
export function later(task: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(task);
}

/** Never rejects: tasks handle their own errors (ack-first reports them to `onError`). */
export function createTaskQueue(concurrency: number, maxQueued: number): TaskQueue {
  const waiting: Array<() => Promise<void>> = [];
  let running = 0;
  let tracked = 0;
  let idle: Array<() => void> = [];

  const settle = () => {
    if (running === 0 && tracked === 0 && waiting.length === 0 && idle.length > 0) {
      const resolvers = idle;
      idle = [];
      for (const resolve of resolvers) resolve();
    }
  };
  const start = (task: () => Promise<void>) => {
    running++;
    void later(task)
      .catch(() => {})
      .finally(() => {
        running--;
        const next = waiting.shift();
        if (next) start(next);
        else settle();
      });
  };

  return {
    push(task) {
      if (running < concurrency) start(task);
      else if (waiting.length < maxQueued) waiting.push(task);
      else return false;
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
      if (running === 0 && tracked === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get pending() {
      return running + waiting.length + tracked;
    },
  };
}
