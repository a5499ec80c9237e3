// What `verify` and an `auth` resolver see of one request (`AuthRequest`): its headers listed on first
// read, its client address computed on first read, and its raw body read only when asked for.
import { type HeaderGetter, type HeaderLookup, toHeaders } from "../http/headers.ts";
import { clientAddress } from "./allow-from.ts";
import type { AuthRequest } from "./credentials.ts";

/** What an `AuthRequest` is made of. */
export interface AuthRequestInit {
  method: string;
  header: HeaderGetter;
  lookup: HeaderLookup | undefined;
  /** The request, whose `remoteAddress` (a getter on some adapters) is read only when asked for. */
  request: { readonly remoteAddress?: string | undefined };
  /** Proxies trusted for `X-Forwarded-For`. */
  trustProxy: boolean | number;
  /** Reads the body (once) and gives its bytes. */
  rawBody: () => Promise<Uint8Array>;
}

/** One request as `verify` sees it; nothing is computed that it does not read. */
export class RequestForAuth implements AuthRequest {
  readonly method: string;
  readonly header: HeaderGetter;
  readonly rawBody: () => Promise<Uint8Array>;
  readonly #init: AuthRequestInit;
  #headers: Headers | undefined;
  #address: { value: string | undefined } | undefined;
  constructor(init: AuthRequestInit) {
    this.method = init.method;
    this.header = init.header;
    this.rawBody = init.rawBody;
    this.#init = init;
  }
  get headers(): Headers {
    this.#headers ??= toHeaders(this.#init.lookup);
    return this.#headers;
  }
  get remoteAddress(): string | undefined {
    const { request, trustProxy, header } = this.#init;
    this.#address ??= {
      value: clientAddress(
        request.remoteAddress,
        trustProxy === false ? undefined : header("x-forwarded-for"),
        trustProxy,
      ),
    };
    return this.#address.value;
  }
}
