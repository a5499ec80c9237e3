import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens (rejecting on EADDRINUSE and the like); resolves with `http://host:port`, a wildcard host shown as 127.0.0.1. */
export async function listen(
  server: Server,
  port = 0,
  host = "127.0.0.1",
): Promise<{ origin: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown =
    address.address === "0.0.0.0" || address.address === "::"
      ? "127.0.0.1"
      : address.family === "IPv6"
        ? `[${address.address}]`
        : address.address;
  return { origin: `http://${shown}:${address.port}`, port: address.port };
}

/** Stops accepting, drops open (keep-alive) connections, resolves when the server is closed. */
export function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
