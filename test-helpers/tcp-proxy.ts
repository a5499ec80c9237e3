// A TCP proxy in front of a server (PostgreSQL, Redis...) whose link can be cut or stalled: an outage as
// the clients see it, without stopping a server other tests share.
import { connect, createServer, type Server, type Socket } from "node:net";

/** A proxy on a free loopback port; see {@link tcpProxy}. */
export interface TcpProxy {
  /** The loopback port it listens on (the same after `restore()`). */
  readonly port: number;
  /** Drops every connection and refuses new ones: the server is gone, as clients see it. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Keeps connections open but forwards nothing either way (a server that stopped answering), until `resume()`. */
  stall(): void;
  /** Forwards again after `stall()`. */
  resume(): void;
  close(): Promise<void>;
}

/** Proxies a loopback port to `host:port`. */
export async function tcpProxy(port: number, host = "127.0.0.1"): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let ownPort = 0;
  let stalled = false;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(port, host);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream).pipe(client);
        // after pipe(), which resumes its source
        if (stalled) {
          client.pause();
          upstream.pause();
        }
      });
      server.once("error", reject);
      server.listen(ownPort, "127.0.0.1", () => {
        const address = server?.address();
        if (typeof address === "object" && address) ownPort = address.port;
        resolve();
      });
    });
  await open();
  const cut = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
    server = undefined;
  };
  return {
    get port() {
      return ownPort;
    },
    cut,
    restore: open,
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    close: cut,
  };
}
