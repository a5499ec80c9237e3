// Memory: a 1 MB delivery sent in 1-byte chunks (chunked encoding, one byte per chunk, so that every
// adapter's stream gets one `data` event per byte) must cost less than 5 MB of heap while it is read.
// Kept as one Buffer per chunk it cost ~200x its size (issue 24: +206 MB of heap per request).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PASS, PATH, USER } from "./constants.ts";

const serverScript = new URL("./server.ts", import.meta.url).pathname;
const MB = 1024 * 1024;

export interface TinyChunksResult {
  framework: string;
  status: string;
  bodyBytes: number;
  heapGrowthMb: number;
}

async function start(framework: string): Promise<ChildProcess & { port: number }> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", serverScript, framework, "octo"], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  let output = "";
  for await (const chunk of child.stdout!) {
    output += chunk;
    const match = /PORT=(\d+)/.exec(output);
    if (match) return Object.assign(child, { port: Number(match[1]) });
  }
  throw new Error(`${framework} server exited before listening`);
}

async function heap(child: ChildProcess): Promise<number> {
  child.send("heap");
  const [value] = (await once(child, "message")) as [number];
  return value;
}

/** A valid booking_update of about `bytes` bytes. */
function delivery(bytes: number): Buffer {
  const head = '{"booking":{"uuid":"tiny-chunks","status":"CONFIRMED","notes":"';
  const tail = '"}}';
  return Buffer.from(head + "x".repeat(bytes - head.length - tail.length) + tail);
}

/** Each byte of `body` as its own chunk of the chunked encoding (`1\r\nX\r\n`). */
function oneBytePerChunk(body: Buffer): Buffer {
  const framed = Buffer.alloc(body.byteLength * 6);
  for (let i = 0; i < body.byteLength; i++) {
    framed.write("1\r\n", i * 6, "latin1");
    framed[i * 6 + 3] = body[i] as number;
    framed.write("\r\n", i * 6 + 4, "latin1");
  }
  return framed;
}

/**
 * Sends all of the body but its last byte, measures the server's heap while it holds the request,
 * then ends the body and reads the status line.
 */
async function sendInTinyChunks(child: ChildProcess & { port: number }, body: Buffer) {
  const socket = connect(child.port, "127.0.0.1");
  await once(socket, "connect");
  let answer = "";
  socket.on("data", (data: Buffer) => {
    answer += data.toString("latin1");
  });
  const authorization = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;
  socket.write(
    `POST ${PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
      `authorization: ${authorization}\r\ntransfer-encoding: chunked\r\n\r\n`,
  );
  await sleep(100);
  const before = await heap(child);
  const framed = oneBytePerChunk(body);
  const lastChunk = framed.byteLength - 6;
  for (let at = 0; at < lastChunk; at += 64 * 1024) {
    if (!socket.write(framed.subarray(at, Math.min(at + 64 * 1024, lastChunk)))) await once(socket, "drain");
  }
  await sleep(500); // the server reads what is in flight
  const during = await heap(child);
  socket.write(Buffer.concat([framed.subarray(lastChunk), Buffer.from("0\r\n\r\n")]));
  while (!answer.includes("\r\n")) await once(socket, "data");
  socket.destroy();
  return { status: answer.split(" ")[1] ?? "?", heapGrowth: during - before };
}

export async function benchTinyChunks(frameworks = ["express", "fastify", "hono", "koa"], bytes = 1_000_000) {
  const results: TinyChunksResult[] = [];
  const body = delivery(bytes);
  for (const framework of frameworks) {
    const child = await start(framework);
    try {
      await sendInTinyChunks(child, delivery(1024)); // warm up: lazy initialisation is not counted
      const { status, heapGrowth } = await sendInTinyChunks(child, body);
      results.push({ framework, status, bodyBytes: body.byteLength, heapGrowthMb: heapGrowth / MB });
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
  return results;
}

export function printTinyChunks(results: TinyChunksResult[]): void {
  console.log("\n## Memory: a 1 MB delivery in 1-byte chunks, heap held while it is read\n");
  console.log("| framework | answer | body bytes | server heap growth | target |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.framework} | ${r.status} | ${r.bodyBytes} | ${r.heapGrowthMb.toFixed(1)} MB | 200, < 5 MB |`,
    );
  }
}

// `tsx src/memory-chunks.ts [framework...]` runs this table alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const frameworks = process.argv.slice(2);
  printTinyChunks(await benchTinyChunks(frameworks.length > 0 ? frameworks : undefined));
}
