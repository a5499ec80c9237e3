// Credentials: what the `auth` and `suppliers` options take, and their check of a request (Basic and
// header secrets compared in constant time, or the user's `verify`).
import { OctoWebhooksError } from "../errors/errors.ts";
import type { HeaderGetter } from "../http/headers.ts";

/** HTTP Basic credentials, as embedded in the registered URL (`https://user:pass@host/path`). */
export interface BasicCredentials {
  /** The user name, as in the URL (decoded). */
  username: string;
  /** The password, as in the URL (decoded). */
  password: string;
}

/** A static header configured on the webhook (`headers: { "x-api-key": "..." }`). */
export interface HeaderCredential {
  /** The header's name, case-insensitive (`"x-api-key"`). */
  name: string;
  /** One value, or several during a rotation. */
  value: string | readonly string[];
}

/**
 * What `verify` and `auth` resolvers see of a request: enough to check a signature over the body (an
 * HMAC, Standard Webhooks' `webhook-signature`) or the address it came from.
 */
export interface AuthRequest {
  /** The HTTP method. */
  readonly method: string;
  /** A request header's value by name, case-insensitive (repeated headers joined with `, `). */
  readonly header: HeaderGetter;
  /**
   * Every request header (a Web `Headers`, built on first read; empty when `handle()` was given its
   * headers as a lookup function, which cannot list them).
   */
  readonly headers: Headers;
  /**
   * The address the request came from: the socket's peer as the adapter gives it (`undefined` where the
   * platform gives none), or with `trustProxy`, the client `X-Forwarded-For` names. IPv4-mapped IPv6
   * addresses are given as IPv4.
   */
  readonly remoteAddress: string | undefined;
  /**
   * The body's bytes exactly as they arrived, for a signature over them: read on the first call (within
   * `maxBodyBytes` and `bodyTimeoutMs`; past them the delivery gets its 413 or 408), once. Rejects when a
   * body parser in front of the receiver read the body first (mount the receiver before it). A `verify`
   * that calls it reads every request's body, authenticated or not, up to the limits.
   */
  rawBody(): Promise<Uint8Array>;
}

/**
 * How deliveries are authenticated. Several mechanisms may be combined; each one given must pass.
 * Several basic credentials or header values may be valid at once (rotation).
 */
export interface AuthConfig {
  /** `Authorization: Basic` credentials, as embedded in the registered URL; several during a rotation. */
  basic?: BasicCredentials | readonly BasicCredentials[];
  /** Static headers configured on the webhook; several during a rotation. */
  header?: HeaderCredential | readonly HeaderCredential[];
  /**
   * Your own check of a request: a signature over `await request.rawBody()` (an HMAC in a header), the
   * address it came from... `false` answers 401; a throw answers 500 (logged). Every mechanism given is
   * evaluated, so timing does not tell which one refused.
   *
   * @example
   * ```ts
   * const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
   * const verify = async (request: AuthRequest) => {
   *   const signature = request.header("x-signature") ?? "";
   *   const given = Uint8Array.from(signature.match(/../g) ?? [], (hex) => Number.parseInt(hex, 16));
   *   return crypto.subtle.verify("HMAC", key, given, new Uint8Array(await request.rawBody())); // a copy typed for WebCrypto
   * };
   * ```
   */
  verify?: (request: AuthRequest) => boolean | Promise<boolean>;
}

/**
 * Static auth, or a function that resolves it per request (for example from `c.env` on Workers).
 * A resolver that returns nothing usable fails closed: the delivery gets a 500 and is retried.
 * `"none"` says on purpose that the endpoint is open (a receiver without `auth` warns once that it is).
 */
export type AuthOption<TContext = unknown> =
  | "none"
  | AuthConfig
  | ((
      context: TContext,
      request: AuthRequest,
    ) => AuthConfig | null | undefined | Promise<AuthConfig | null | undefined>);

/** What one supplier's deliveries are checked with. */
export interface SupplierConfig {
  /** The credentials this supplier's registrations carry; several during a rotation. */
  auth: AuthConfig;
}

/**
 * The suppliers behind one receiver: a record by supplier id, or a function that looks a supplier up
 * per request (from a database), whose answers are cached for `supplierCacheMs`.
 */
export type SuppliersOption =
  | Readonly<Record<string, SupplierConfig>>
  | ((id: string) => SupplierConfig | null | undefined | Promise<SupplierConfig | null | undefined>);

/** Verifies one request; `true` when every configured mechanism accepts it. */
export type Authenticator = (request: AuthRequest) => boolean | Promise<boolean>;

/** A configured secret as UTF-16 code units, read once (indexing a typed array costs less than `charCodeAt`). */
type Expected = Uint16Array;

function expectedOf(value: string): Expected {
  const codes = new Uint16Array(value.length);
  for (let i = 0; i < value.length; i++) codes[i] = value.charCodeAt(i);
  return codes;
}

/**
 * Constant-time equality. It reads `expected.length` code units of `supplied`, in bounds: its own
 * positions, then (when it is shorter) around again from its start, so the time depends neither on the
 * supplied value's content nor its length, and the comparison never exits early. The wrap-around is a
 * run per pass rather than an `i % length` per code unit, which measured about a fifth faster.
 * (Web Crypto digests would also hide lengths, but `crypto.subtle.digest` costs more per call than a
 * whole fast-framework request; docs/benchmarks.md has the figures.)
 */
function safeEqual(supplied: string, expected: Expected): boolean {
  const probe = supplied.length === 0 ? "\0" : supplied;
  const total = expected.length;
  let diff = supplied.length ^ total;
  let i = 0;
  while (i < total) {
    const run = Math.min(total - i, probe.length);
    for (let j = 0; j < run; j++, i++) diff |= (expected[i] as number) ^ probe.charCodeAt(j);
  }
  return diff === 0;
}

/** True when `supplied` equals one of `expected`; every value is compared, so timing does not tell which. */
function matchesAny(supplied: string, expected: readonly Expected[]): boolean {
  let matched = false;
  for (const e of expected) matched = safeEqual(supplied, e) || matched;
  return matched;
}

function fail(message: string): never {
  throw new OctoWebhooksError("CONFIG_INVALID", `auth: ${message}`);
}

const nonEmptyString = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const list = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? value : [value as T]);

function decodeBasic(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  try {
    const binary = atob(match[1] as string);
    // ASCII is its own UTF-8; only other credentials need decoding
    if (ASCII.test(binary)) return binary;
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** `user:pass` as Basic's base64 of its UTF-8 bytes. */
function encodeBasic(pair: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(pair)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII includes the control characters
const ASCII = /^[\x00-\x7f]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Checks an {@link AuthConfig} and prepares it: throws a `CONFIG_INVALID` error (naming the mistake,
 * never the secret) for an empty username, a `:` in a username, an empty password, header name or value,
 * an unknown key, or no mechanism at all.
 */
export function createAuthenticator(config: AuthConfig): Authenticator {
  if (typeof config !== "object" || config === null)
    fail("expected an object with `basic`, `header` or `verify`");
  for (const key of Object.keys(config)) {
    if (key !== "basic" && key !== "header" && key !== "verify") {
      fail(`unknown key \`${key}\`; use \`basic\`, \`header\` or \`verify\``);
    }
  }
  const checks: Authenticator[] = [];

  if (config.basic !== undefined) {
    const users = list(config.basic);
    if (users.length === 0) fail("`basic` is an empty list");
    const pairs = users.map((user, i) => {
      const where = users.length > 1 ? `basic[${i}]` : "basic";
      if (typeof user !== "object" || user === null) fail(`\`${where}\` must be { username, password }`);
      if (!nonEmptyString(user.username)) fail(`\`${where}.username\` must be a non-empty string`);
      if (user.username.includes(":")) fail(`\`${where}.username\` must not contain ":" (RFC 7617)`);
      if (!nonEmptyString(user.password)) fail(`\`${where}.password\` must be a non-empty string`);
      return `${user.username}:${user.password}`;
    });
    // the header a sender that encodes as RFC 7617 says sends: compared whole, nothing decoded
    const headers = pairs.map((pair) => expectedOf(`Basic ${encodeBasic(pair)}`));
    const decoded = pairs.map(expectedOf);
    checks.push((request) => {
      const header = request.header("authorization");
      if (header !== undefined && matchesAny(header, headers)) return true;
      // any other spelling (scheme case, spaces, non-canonical base64) is decoded and compared
      const supplied = decodeBasic(header);
      return supplied !== undefined && matchesAny(supplied, decoded);
    });
  }

  if (config.header !== undefined) {
    const headers = list(config.header);
    if (headers.length === 0) fail("`header` is an empty list");
    const byName = new Map<string, Expected[]>();
    headers.forEach((h, i) => {
      const where = headers.length > 1 ? `header[${i}]` : "header";
      if (typeof h !== "object" || h === null) fail(`\`${where}\` must be { name, value }`);
      if (!nonEmptyString(h.name) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.name)) {
        fail(`\`${where}.name\` must be a valid header name`);
      }
      const values = list(h.value);
      if (values.length === 0 || !values.every(nonEmptyString)) {
        fail(`\`${where}.value\` must be a non-empty string or a list of them`);
      }
      const name = h.name.toLowerCase();
      byName.set(name, [...(byName.get(name) ?? []), ...values.map(expectedOf)]);
    });
    for (const [name, values] of byName) {
      checks.push((request) => {
        const supplied = request.header(name);
        return supplied !== undefined && matchesAny(supplied, values);
      });
    }
  }

  if (config.verify !== undefined) {
    if (typeof config.verify !== "function") fail("`verify` must be a function");
    const verify = config.verify;
    checks.push(async (request) => (await verify(request)) === true);
  }

  if (checks.length === 0) fail("give at least one of `basic`, `header` or `verify`");
  if (checks.length === 1) return checks[0] as Authenticator;
  return async (request) => {
    let accepted = true;
    // every mechanism is evaluated, so timing does not tell which one refused
    for (const check of checks) accepted = (await check(request)) && accepted;
    return accepted;
  };
}
