// Memory: a 100 MB body, streamed without Content-Length, sent to each adapter must be refused with 413
// while the server's resident set grows by less than 5 MB (the body is never buffered).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { PASS, PATH, USER } from "./constants.ts";

const serverScript = new URL("./server.ts", import.meta.url).pathname;
const MB = 1024 * 1024;

export interface MemoryResult {
  framework: string;
  status: number | string;
  sentMb: number;
  rssGrowthMb: number;
}

async function start(framework: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", serverScript, framework, "octo"], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  let output = "";
  for await (const chunk of child.stdout!) {
    output += chunk;
    const match = /PORT=(\d+)/.exec(output);
    if (match) return { port: Number(match[1]), child };
  }
  throw new Error(`${framework} server exited before listening`);
}

async function rss(child: ChildProcess): Promise<number> {
  child.send("rss");
  const [value] = (await once(child, "message")) as [number];
  return value;
}

/** Streams up to `totalBytes` in 64 KB chunks; stops as soon as the answer arrives. */
function sendHuge(port: number, totalBytes: number): Promise<{ status: number | string; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let settled = false;
    const finish = (status: number | string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve({ status, sent });
    };
    const req = request({
      port,
      host: "127.0.0.1",
      path: PATH,
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`,
      },
    });
    req.on("response", (res) => {
      res.resume();
      finish(res.statusCode ?? 0);
    });
    req.on("error", (error) => finish((error as NodeJS.ErrnoException).code ?? error.message));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = 0x7b; // "{" then spaces: valid until it ends
    const pump = () => {
      while (!settled && sent < totalBytes) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!settled) req.end();
    };
    pump();
  });
}

export async function benchMemory(frameworks = ["express", "fastify", "hono", "koa"], totalMb = 100) {
  const results: MemoryResult[] = [];
  for (const framework of frameworks) {
    const { port, child } = await start(framework);
    try {
      // warm up: one small delivery so that lazy initialisation is not counted
      await sendHuge(port, 1024);
      const before = await rss(child);
      const { status, sent } = await sendHuge(port, totalMb * MB);
      const after = await rss(child);
      results.push({ framework, status, sentMb: sent / MB, rssGrowthMb: (after - before) / MB });
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
  return results;
}

export function printMemory(results: MemoryResult[], totalMb = 100): void {
  console.log(`\n## Memory: a ${totalMb} MB streamed body (no Content-Length), limit 1 MB\n`);
  console.log("| framework | answer | MB sent before the answer | server RSS growth | target |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.framework} | ${r.status} | ${r.sentMb.toFixed(1)} | ${r.rssGrowthMb.toFixed(1)} MB | 413, < 5 MB |`,
    );
  }
}
