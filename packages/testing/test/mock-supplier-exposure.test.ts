import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type MockSupplier, startMockSupplier } from "../src/index.ts";

// "testing: the mock supplier's default key exposes delivery answers at GET /_mock/deliveries": it must
// face loopback only unless told otherwise. These check where it listens and that the route needs the key.

const started: MockSupplier[] = [];
afterEach(async () => {
  for (const supplier of started.splice(0)) await supplier.close();
});

async function supplier(options: Parameters<typeof startMockSupplier>[0] = {}) {
  const s = await startMockSupplier(options);
  started.push(s);
  return s;
}

/** Whether a TCP connection to `host:port` is accepted (loopback addresses only: tests never leave the machine). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe("mock supplier exposure", () => {
  it("testing: the mock supplier listens on loopback by default, so GET /_mock/deliveries (default key) is not exposed", async () => {
    const s = await supplier();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/octo$/);
    expect(await reachable("127.0.0.1", s.port)).toBe(true);
    // bound to 127.0.0.1 only: another loopback address of this machine is refused, which a
    // wildcard bind (what faces the network) would accept
    expect(await reachable("127.0.0.2", s.port)).toBe(false);

    // only an explicit host faces the network
    const open = await supplier({ host: "0.0.0.0" });
    expect(await reachable("127.0.0.2", open.port)).toBe(true);
  });

  it("testing: GET /_mock/deliveries answers only with the key (401 without it)", async () => {
    const s = await supplier();
    const without = await fetch(`${s.url}/_mock/deliveries`);
    expect(without.status).toBe(401);
    const withKey = await fetch(`${s.url}/_mock/deliveries`, {
      headers: { authorization: `Bearer ${s.apiKey}` },
    });
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toEqual([]);
  });
});
