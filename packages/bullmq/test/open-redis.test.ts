import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { firstConnection } from "../src/open-redis.ts";

// Regression test of "bullmq: one ready listener per waiting request": before the first connection,
// every waiting request added a `ready` listener (MaxListenersExceededWarning under a startup burst).
// It needs no Redis: the client points at a port where nothing listens yet, then at a TCP server that
// answers the connection handshake like a Redis 5 would (no HELLO: `-ERR`; `+OK` to the rest); with
// `enableReadyCheck: false`, ioredis is ready once that handshake is answered.

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function notYetConnected(port: number): Redis {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 20,
  });
  client.on("error", () => {});
  closers.push(() => client.disconnect());
  return client;
}

function warnings(): string[] {
  const seen: string[] = [];
  const onWarning = (warning: Error) => void seen.push(`${warning.name}: ${warning.message}`);
  process.on("warning", onWarning);
  closers.push(() => void process.off("warning", onWarning));
  return seen;
}

describe("firstConnection", () => {
  it("bullmq: a startup burst of waiting requests adds one ready listener, not one per request (no MaxListenersExceededWarning)", async () => {
    const seen = warnings();
    const port = await freePort();
    const client = notYetConnected(port);
    const wait = firstConnection(client, 10_000);
    const before = client.listenerCount("ready");
    const burst = Array.from({ length: 200 }, () => wait());
    expect(client.listenerCount("ready")).toBe(before);

    // Redis comes up: every waiting request goes on
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("data", (data: Buffer) => {
        for (const [, command] of data.toString("latin1").matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
          socket.write(command?.toLowerCase() === "hello" ? "-ERR unknown command 'hello'\r\n" : "+OK\r\n");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    await expect(Promise.all(burst)).resolves.toHaveLength(200);
    await expect(wait()).resolves.toBeUndefined();
    expect(client.listenerCount("ready")).toBeLessThanOrEqual(before);
    expect(seen.filter((w) => w.includes("MaxListenersExceeded"))).toEqual([]);
  });

  it("bullmq: waiting requests still time out one by one, leaving no listener behind", async () => {
    const client = notYetConnected(await freePort());
    const wait = firstConnection(client, 100);
    const before = client.listenerCount("ready");
    const first = wait();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const second = wait();
    const started = Date.now();
    await expect(first).rejects.toThrow("Redis was not reachable within 100 ms");
    // the second has its own 100 ms, counted from when it started waiting
    await expect(second).rejects.toThrow("Redis was not reachable within 100 ms");
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(client.listenerCount("ready")).toBe(before);
  });
});
