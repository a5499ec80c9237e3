import { connect } from "node:net";
import { networkInterfaces } from "node:os";
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

/** An address of this machine that is not loopback (the one another host would use). */
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && !address.internal && address.family === "IPv4")?.address;

/** Whether a TCP connection to `host:port` is accepted. */
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
    expect(external, "this machine needs a non-loopback IPv4 address for this check").toBeDefined();
    expect(await reachable(external as string, s.port)).toBe(false);

    // only an explicit host faces the network (and the check above would see it)
    const open = await supplier({ host: "0.0.0.0" });
    expect(await reachable(external as string, open.port)).toBe(true);
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
