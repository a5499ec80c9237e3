/** What {@link lingerBeforeClose} reads of a Node `IncomingMessage` (and its socket). */
export interface NodeRequestLike {
  /** Whether the whole body arrived. */
  complete?: boolean;
  /** 1 for HTTP/1.x: only those connections are closed in stages. */
  httpVersionMajor?: number;
  /** The connection. */
  socket?: {
    /** What Node's HTTP server calls to close the connection once an answer with `connection: close` is written. */
    destroySoon?: () => void;
    /** Whether the client closed its side. */
    readableEnded?: boolean;
    /** Sends a FIN (closes our side for writing). */
    end(): unknown;
    /** Closes the socket at once. */
    destroy(): unknown;
    /** Listens once for the client's FIN (`end`) or the socket's closing (`close`). */
    once(event: "end" | "close", listener: () => void): unknown;
  } | null;
}

/**
 * For Node adapters, before writing every answer (it does nothing unless needed). When an answer with
 * `connection: close` (413, 408, and a 401/405/415 refusing a body that was not read) goes to a request
 * whose body did not end, Node closes the socket as soon as the answer is written, and the bytes the client
 * is still sending then make the kernel reset the connection, which can destroy the answer before the
 * client reads it (nodejs/node#12339; an honest 10 MB body got a reset instead of its 413 about half
 * the time). This closes in stages instead (RFC 9112, section 9.6): the answer and a FIN first, then
 * the socket once the client closed its side too, or after `ms`. The rest of the body is never read.
 *
 * @example
 * ```ts
 * const answer = await webhooks.handle({ method: req.method, headers: req.headers, body: req }, req);
 * lingerBeforeClose(req, answer);
 * res.writeHead(answer.status, answer.headers).end(answer.body);
 * ```
 */
export function lingerBeforeClose(
  request: NodeRequestLike | undefined,
  answer: { readonly headers: Readonly<Record<string, string>> },
  ms = 2_000,
): void {
  if (request === undefined || answer.headers.connection !== "close") return;
  const socket = request.socket;
  if (request.complete || request.httpVersionMajor !== 1 || typeof socket?.destroySoon !== "function") return;
  const destroySoon = socket.destroySoon.bind(socket);
  // what Node's HTTP server calls once an answer with `connection: close` is written
  socket.destroySoon = () => {
    if (socket.readableEnded) return destroySoon();
    socket.end();
    const destroy = () => void socket.destroy();
    const timer = setTimeout(destroy, ms);
    (timer as { unref?: () => void }).unref?.();
    socket.once("end", destroy);
    socket.once("close", () => clearTimeout(timer));
  };
}
