// The Redis the scale benchmark uses: OCTO_REDIS_URL when set (CI starts one in .ci/run), else a
// redis-server started here on a free loopback port with no persistence.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  return typeof address === "object" && address ? address.port : 0;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function benchRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.OCTO_REDIS_URL;
  if (given) {
    if (!(await answers(given))) throw new Error(`OCTO_REDIS_URL (${given}) does not answer PING`);
    return { url: given, stop: async () => {} };
  }
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(
      "bench:scale needs Redis: install redis-server (`apt-get install -y redis-server`, `brew install redis`) " +
        "or set OCTO_REDIS_URL=redis://127.0.0.1:<port> to one you started",
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
