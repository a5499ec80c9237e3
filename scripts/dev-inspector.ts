// `pnpm dev:inspector`: `octo-webhooks dev` (a mock supplier with its web inspector, on :4010) delivering
// to the Express example (examples/express) on a free port, with the demo's Basic credentials. Open the
// printed URL, send events from the page, watch them arrive. More options after `--`:
// `pnpm dev:inspector -- --port 4011 --retry-schedule 500,2000`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../examples/express/src/main.ts";
import { processIo } from "../packages/cli/src/output.ts";
import { run } from "../packages/cli/src/program.ts";

const USER = "octo";
const PASSWORD = "demo-s3cret";
const io = processIo();

const app = createApp(
  { OCTO_HOOK_USER: USER, OCTO_HOOK_PASS: PASSWORD },
  {
    info: (line) => io.out(io.c.dim(`  receiver: ${line}`)),
    error: (message) => io.out(io.c.red(`  receiver: ${message}`)),
    debug: () => {},
  },
);
const server = createServer(app);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/octo`;
io.out(`Receiver (examples/express) on ${receiverUrl}, Basic auth ${USER}:***`);

const extra = process.argv.slice(2).filter((arg) => arg !== "--");
const code = await run(
  [
    process.argv[0] ?? "node",
    "octo-webhooks",
    "dev",
    "--to",
    receiverUrl,
    "--user",
    USER,
    "--pass",
    PASSWORD,
    ...extra,
  ],
  io,
);
server.closeAllConnections();
await new Promise((resolve) => server.close(resolve));
process.exitCode = code;
