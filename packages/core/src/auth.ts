import { OctoWebhooksError } from "./errors.ts";
import type { HeaderGetter } from "./headers.ts";

/** HTTP Basic credentials, as embedded in the registered URL (`https://user:pass@host/path`). */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** A static header configured on the webhook (`headers: { "x-api-key": "..." }`). */
export interface HeaderCredential {
  name: string;
  /** One value, or several during a rotation. */
  value: string | readonly string[];
}

/** What `verify` and `auth` resolvers see of a request. */
export interface AuthRequest {
  method: string;
  header: HeaderGetter;
}

/**
 * How deliveries are authenticated. Several mechanisms may be combined; each one given must pass.
 * Several basic credentials or header values may be valid at once (rotation).
 */
export interface AuthConfig {
  basic?: BasicCredentials | readonly BasicCredentials[];
  header?: HeaderCredential | readonly HeaderCredential[];
  verify?: (request: AuthRequest) => boolean | Promise<boolean>;
}

/**
 * Static auth, or a function that resolves it per request (for example from `c.env` on Workers).
 * A resolver that returns nothing usable fails closed: the delivery gets a 500 and is retried.
 */
export type AuthOption<TContext = unknown> =
  | AuthConfig
  | ((
      context: TContext,
      request: AuthRequest,
    ) => AuthConfig | null | undefined | Promise<AuthConfig | null | undefined>);

/** Verifies one request; resolves `true` when every configured mechanism accepts it. */
export type Authenticator = (request: AuthRequest) => Promise<boolean>;

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Constant-time equality of two digests of the same length. */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * True when `candidate` equals one of the expected digests. Comparing SHA-256 digests hides the
 * secrets' length, and every expected value is compared, so timing tells neither content nor which matched.
 */
async function matchesAny(candidate: string, expected: readonly Uint8Array[]): Promise<boolean> {
  const digest = await sha256(candidate);
  let matched = false;
  for (const e of expected) matched = digestsEqual(digest, e) || matched;
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
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

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
    const expected = Promise.all(pairs.map(sha256));
    // a configuration that is never used must not leave an unhandled rejection behind
    expected.catch(() => {});
    checks.push(async (request) => {
      const supplied = decodeBasic(request.header("authorization"));
      if (supplied === undefined) return false;
      return matchesAny(supplied, await expected);
    });
  }

  if (config.header !== undefined) {
    const headers = list(config.header);
    if (headers.length === 0) fail("`header` is an empty list");
    const byName = new Map<string, string[]>();
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
      byName.set(name, [...(byName.get(name) ?? []), ...values]);
    });
    for (const [name, values] of byName) {
      const expected = Promise.all(values.map(sha256));
      expected.catch(() => {});
      checks.push(async (request) => {
        const supplied = request.header(name);
        if (supplied === undefined) return false;
        return matchesAny(supplied, await expected);
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
    const results = await Promise.all(checks.map((check) => check(request)));
    return results.every(Boolean);
  };
}

/** Whether a 401 should offer Basic (so that tools like curl and browsers prompt for it). */
export function usesBasic(config: AuthConfig): boolean {
  return config.basic !== undefined;
}
