import type { IncomingMessage } from "node:http";

/**
 * An OCTO error answer the mock supplier sends (`status`, and `{ error, errorMessage, ...extra }` as the
 * body). Not an `Error`: the routes throw it to answer with it.
 */
export class OctoErrorBody {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorMessage: string,
    readonly extra: Record<string, unknown> = {},
  ) {}
  body(): string {
    return JSON.stringify({ error: this.error, errorMessage: this.errorMessage, ...this.extra });
  }
}

/** A `400 BAD_REQUEST` answer. */
export const badRequest = (message: string) => new OctoErrorBody(400, "BAD_REQUEST", message);

const MAX_BODY_BYTES = 100 * 1024;

/** A management request's body as text; a `413` answer past 100 KB. */
function readRequestText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        reject(new OctoErrorBody(413, "PAYLOAD_TOO_LARGE", `the body must be under ${MAX_BODY_BYTES} bytes`));
        req.resume();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A management request's JSON body (`{}` when empty); a `400` answer when it is not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readRequestText(req);
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw badRequest("the body is not valid JSON");
  }
}

/** A percent-encoded segment of a request's path (an id), decoded; a 400 answer thrown when it does not decode. */
export function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`the ${what} in the path is not valid percent-encoding`);
  }
}
