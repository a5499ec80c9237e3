// The config of a receiver with many suppliers (`octo-webhooks.config.ts`): its public URL and, per
// supplier, where its API is, the env vars holding its secrets, and what it should send. Read by
// `syncSuppliers` and `supplierStatus`, and by the receiver through `receiverSuppliers`; here: its
// types, its check, each supplier's receiver URL, the env vars it names, and `receiverSuppliers`.
import { type SupplierConfig, WEBHOOK_EVENTS } from "@octo-webhooks/core";
import { configError } from "../errors.ts";
import { httpUrl } from "../http/urls.ts";
import { isHeaderName } from "../registrations/check-input.ts";
import type { NotificationsCapability } from "../types.ts";

/** The env var names holding the credentials a supplier's deliveries carry (Basic, in the URL). */
export interface HookCredentialsEnv {
  /** The env var holding the user name. */
  usernameEnv: string;
  /** The env var holding the password. */
  passwordEnv: string;
  /**
   * During a rotation: the env var holding the next password. The receiver accepts both; `sync --rotate`
   * registers the next one and drops the registrations of the current one.
   */
  nextPasswordEnv?: string;
}

/**
 * The env var names holding the header a supplier's deliveries carry (`x-api-key: ...`), for suppliers
 * that authenticate with a static header instead of Basic credentials: registered as the webhook's
 * `headers`, checked by the receiver as core's `auth.header`.
 */
export interface HookHeaderEnv {
  /** The header's name, e.g. `"x-api-key"`. */
  headerName: string;
  /** The env var holding its value. */
  valueEnv: string;
  /**
   * During a rotation: the env var holding the next value. The receiver accepts both; `sync --rotate`
   * registers the next one.
   */
  nextValueEnv?: string;
}

/**
 * An event of the config's `events`: one of core's `WEBHOOK_EVENTS`, or `"custom:<name>"` to register
 * an event of the supplier's own by that name (anything else is refused as a likely typo).
 */
export type SupplierEventName = (typeof WEBHOOK_EVENTS)[number] | `custom:${string}`;

/** One supplier of the config, by the id the receiver knows it by. */
export interface SupplierEntry {
  /** The supplier's OCTO endpoint, e.g. `https://api.ventrata.com/octo`. */
  baseUrl: string;
  /** The env var holding the API key of the supplier's management API. */
  apiKeyEnv: string;
  /** The env vars holding the credentials its deliveries carry: Basic (in the URL) or a header. */
  hook: HookCredentialsEnv | HookHeaderEnv;
  /**
   * The webhook events to register (`booking_update`, `availability_update`, `order_update`,
   * `product_update`; `"custom:<name>"` for an event of the supplier's own).
   */
  events: readonly SupplierEventName[];
  /**
   * OCTO notification types to subscribe to (`BOOKING_UPDATE`, `AVAILABILITY_UPDATE`, `PRODUCT_UPDATE`,
   * any case), beside or instead of `events`, for suppliers that serve OCTO notifications: one
   * subscription at the supplier's receiver URL with the same credentials. Left out: the supplier's
   * subscriptions are not touched; `[]`: this receiver's subscription is deleted.
   */
  notifications?: readonly string[];
  /** The capability id its notifications calls send (default `"notifications"`; see `createOctoClient`). */
  notificationsCapability?: NotificationsCapability;
  /** Sent as `Octo-Capabilities` with the registrations. */
  capabilities?: readonly string[];
  /** Sent as `Octo-Env`. */
  env?: "test" | "live";
  /** Whether the supplier retries failed deliveries (OCTO default: true). */
  retryOnError?: boolean;
}

/** What `octo-webhooks.config.ts` (or `.json`) exports. */
export interface SuppliersConfig {
  /**
   * The receiver's public URL. A `:supplier` segment (`https://shop.example/webhooks/octo/:supplier`)
   * becomes each supplier's id; without one, every supplier gets the same URL and its credentials tell
   * them apart.
   */
  receiverUrl: string;
  /** The suppliers, by id (letters, digits, `.`, `_`, `-`). */
  suppliers: Readonly<Record<string, SupplierEntry>>;
}

/** Where env var names are looked up (default `process.env`). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The notification types a supplier entry may list (any case). */
const KNOWN_TYPES = ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"];

const CUSTOM = "custom:";

/** Edit distance of two short names (a typo is one or two edits away). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** Checks a supplier entry's `events`: known ones or `custom:<name>`, with a "did you mean" for a typo. */
function checkEvents(where: string, events: unknown): void {
  if (!Array.isArray(events) || !events.every((e) => typeof e === "string" && e !== "")) {
    configError(`\`${where}.events\` must be a list of event names (${WEBHOOK_EVENTS.join(", ")})`);
  }
  for (const event of events as string[]) {
    if ((WEBHOOK_EVENTS as readonly string[]).includes(event)) continue;
    if (event.startsWith(CUSTOM) && event.length > CUSTOM.length) continue;
    const shown = JSON.stringify(event.slice(0, 64));
    const near = WEBHOOK_EVENTS.map((known) => [known, distance(event.toLowerCase(), known)] as const)
      .filter(([, d]) => d <= 3)
      .sort((x, y) => x[1] - y[1])[0];
    const hint =
      near === undefined ? `the events are ${WEBHOOK_EVENTS.join(", ")}` : `did you mean "${near[0]}"?`;
    configError(
      `\`${where}.events\` has no such event ${shown}; ${hint} (an event of the supplier's own: "${CUSTOM}<name>")`,
    );
  }
}

/** The event names a supplier entry registers: `custom:<name>` as `<name>`. */
export function eventsOf(entry: SupplierEntry): string[] {
  return entry.events.map((event) => (event.startsWith(CUSTOM) ? event.slice(CUSTOM.length) : event));
}

/** Checks a supplier entry's `hook`: Basic credentials or a header, naming the mistake. */
function checkHook(where: string, hook: unknown): void {
  const given = (typeof hook === "object" && hook !== null ? hook : {}) as Record<string, unknown>;
  const named = (key: string) => typeof given[key] === "string" && given[key] !== "";
  const optional = (key: string) => given[key] === undefined || named(key);
  if ("headerName" in given || "valueEnv" in given) {
    if (!named("headerName") || !named("valueEnv") || !optional("nextValueEnv")) {
      configError(
        `\`${where}.hook\` must be { headerName, valueEnv, nextValueEnv? } (or Basic: { usernameEnv, passwordEnv, nextPasswordEnv? })`,
      );
    }
    if (!isHeaderName(given.headerName as string)) {
      configError(`\`${where}.hook.headerName\` must be a header name such as "x-api-key"`);
    }
    return;
  }
  if (!named("usernameEnv") || !named("passwordEnv") || !optional("nextPasswordEnv")) {
    configError(
      `\`${where}.hook\` must be { usernameEnv, passwordEnv, nextPasswordEnv? } (Basic) or { headerName, valueEnv, nextValueEnv? } (a header)`,
    );
  }
}

/** Checks a supplier entry's `notifications` list, naming the mistake. */
function checkNotificationTypes(where: string, types: unknown): void {
  if (types === undefined) return;
  if (
    !Array.isArray(types) ||
    !types.every((t) => typeof t === "string" && KNOWN_TYPES.includes(t.toUpperCase()))
  ) {
    configError(`\`${where}.notifications\` must be a list of ${KNOWN_TYPES.join(", ")} (any case)`);
  }
}

/** Checks the config's shape, naming the mistake (never a secret); returns the supplier ids. */
export function checkSuppliersConfig(config: SuppliersConfig): string[] {
  if (typeof config !== "object" || config === null) configError("the config must be an object");
  if (typeof config.receiverUrl !== "string" || httpUrl(config.receiverUrl) === undefined) {
    configError("`receiverUrl` must be an http(s) URL, e.g. https://shop.example/webhooks/octo/:supplier");
  }
  if (typeof config.suppliers !== "object" || config.suppliers === null) {
    configError("`suppliers` must be an object of suppliers by id");
  }
  const ids = Object.keys(config.suppliers);
  if (ids.length === 0) configError("`suppliers` lists no supplier");
  for (const id of ids) {
    if (!ID.test(id))
      configError(`supplier id \`${id.slice(0, 64)}\` must be letters, digits, ".", "_" or "-"`);
    const entry = config.suppliers[id] as SupplierEntry;
    const where = `suppliers.${id}`;
    if (typeof entry !== "object" || entry === null) configError(`\`${where}\` must be an object`);
    if (placeOf(entry.baseUrl) === undefined) configError(`\`${where}.baseUrl\` must be a URL`);
    if (typeof entry.apiKeyEnv !== "string" || entry.apiKeyEnv === "") {
      configError(`\`${where}.apiKeyEnv\` must name the env var holding its API key`);
    }
    checkHook(where, entry.hook);
    checkEvents(where, entry.events);
    checkNotificationTypes(where, entry.notifications);
  }
  return ids;
}

/** The receiver URL of one supplier (its id in place of `:supplier`). */
export function receiverUrlOf(config: SuppliersConfig, id: string): string {
  return config.receiverUrl.replace(":supplier", encodeURIComponent(id));
}

/** `origin + path` of a URL, without credentials, query or a trailing slash: what "the same URL" means. */
export function placeOf(url: string | null | undefined): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/$/, "") : parsed.pathname;
    return `${parsed.origin}${path}`;
  } catch {
    return undefined;
  }
}

/** Where env var names are looked up by default: `process.env` where there is one. */
export const defaultEnv = (): EnvSource =>
  (globalThis as { process?: { env?: EnvSource } }).process?.env ?? {};

/** The value of an env var, or a clear error naming the var (and the supplier), never a value. */
export function fromEnv(env: EnvSource, name: string, id: string): string {
  const value = env[name];
  if (value === undefined || value === "") configError(`supplier ${id}: the env var ${name} is not set`);
  return value;
}

/** The credentials a supplier's deliveries carry, read from the env: the current ones first, then the next. */
export type HookCredentials =
  | { kind: "basic"; username: string; passwords: string[] }
  | { kind: "header"; name: string; values: string[] };

/**
 * A supplier's hook credentials from the env (a missing var throws, naming it); the next password or
 * value is there only when its env var is set.
 */
export function hookCredentials(entry: SupplierEntry, env: EnvSource, id: string): HookCredentials {
  const hook = entry.hook;
  if ("headerName" in hook) {
    const next = hook.nextValueEnv === undefined ? undefined : env[hook.nextValueEnv];
    const value = fromEnv(env, hook.valueEnv, id);
    return { kind: "header", name: hook.headerName, values: next ? [value, next] : [value] };
  }
  const username = fromEnv(env, hook.usernameEnv, id);
  const next = hook.nextPasswordEnv === undefined ? undefined : env[hook.nextPasswordEnv];
  const password = fromEnv(env, hook.passwordEnv, id);
  return { kind: "basic", username, passwords: next ? [password, next] : [password] };
}

/**
 * The receiver's `suppliers` option from the same config: each supplier's Basic credentials (or header)
 * read from the env, its next password (or value) too while a rotation is under way (both accepted).
 *
 * @example
 * ```ts
 * import { createOctoWebhooks } from "@octo-webhooks/core";
 * import { receiverSuppliers } from "@octo-webhooks/client";
 * import config from "./octo-webhooks.config.ts";
 *
 * const webhooks = createOctoWebhooks({ suppliers: receiverSuppliers(config) });
 * ```
 */
export function receiverSuppliers(
  config: SuppliersConfig,
  env: EnvSource = defaultEnv(),
): Record<string, SupplierConfig> {
  const suppliers: Record<string, SupplierConfig> = {};
  for (const id of checkSuppliersConfig(config)) {
    const hook = hookCredentials(config.suppliers[id] as SupplierEntry, env, id);
    suppliers[id] =
      hook.kind === "basic"
        ? { auth: { basic: hook.passwords.map((password) => ({ username: hook.username, password })) } }
        : { auth: { header: { name: hook.name, value: hook.values } } };
  }
  return suppliers;
}
