// The parent's side of child-server.ts.
import { type ChildProcess, fork } from "node:child_process";
import type { ServedApart } from "./app.ts";

/** What the server process reports: its resident memory (peak since the last `settle()`), deliveries handled, and what was thrown at it. */
export interface ServerReport {
  peak: number;
  rss: number;
  handled: number;
  problems: string[];
}

/** A framework's app (by its `FrameworkUnderTest` name) served from a process of its own. */
export interface ServerProcess {
  origin: string;
  /** Collects garbage twice, restarts the peak, and returns the resident memory. */
  settle(): Promise<number>;
  /** Collects garbage twice (in the middle of whatever it serves) and returns the resident memory. */
  measure(): Promise<number>;
  report(): Promise<ServerReport>;
  stop(): Promise<void>;
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off("exit", onExit);
      child.off("message", onMessage);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`the server process exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * Forks child-server.ts for `framework` (with `parser` in front, `bodyTimeoutMs`, and more Node
 * options), through tsx so that it runs the sources, and resolves once it listens.
 *
 * @example
 * ```ts
 * const server = await forkServer("express");
 * await fetch(new URL("/webhooks/octo", server.origin), { method: "POST", body: "{}" });
 * await server.stop();
 * ```
 */
export async function forkServer(
  framework: string,
  parser = "none",
  bodyTimeoutMs = 500,
  nodeOptions: string[] = [],
): Promise<ServerProcess> {
  const child = fork(
    new URL("./child-server.ts", import.meta.url).pathname,
    [framework, parser, String(bodyTimeoutMs)],
    {
      execArgv: ["--import", "tsx", "--conditions=@octo-webhooks/source", "--expose-gc", ...nodeOptions],
      cwd: new URL("..", import.meta.url).pathname,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const ask = <T>(type: string, answer: string) => {
    const reply = next<T>(child, answer);
    child.send({ type });
    return reply;
  };
  const { origin } = await next<{ origin: string }>(child, "ready");
  return {
    origin,
    settle: async () => (await ask<{ rss: number }>("settle", "settled")).rss,
    measure: async () => (await ask<{ rss: number }>("measure", "measured")).rss,
    report: () => ask<ServerReport>("report", "report"),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.connected) child.send({ type: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `FrameworkUnderTest.serveApart` of a framework of `frameworks/`: its app forked with the defaults. */
export function forkedApart(framework: string): () => Promise<ServedApart> {
  return async () => {
    const server = await forkServer(framework);
    return { origin: server.origin, close: () => server.stop() };
  };
}
