// The config of a receiver with many suppliers (`octo-webhooks.config.ts`): its public URL and, per
// supplier, where its API is, the env vars holding its secrets, and what it should send. Read by
// `syncSuppliers` and `supplierStatus`, and by the receiver through `receiverSuppliers`; here: its
// types, its check, each supplier's receiver URL, the env vars it names, and `receiverSuppliers`.
import { configError } from "../errors.ts";
import { httpUrl } from "../http/urls.ts";
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

/** One supplier of the config, by the id the receiver knows it by. */
export interface SupplierEntry {
  /** The supplier's OCTO endpoint, e.g. `https://api.ventrata.com/octo`. */
  baseUrl: string;
  /** The env var holding the API key of the supplier's management API. */
  apiKeyEnv: string;
  /** The env vars holding the credentials its deliveries carry. */
  hook: HookCredentialsEnv;
  /** The webhook events to register (`booking_update`, `availability_update`...). */
  events: readonly string[];
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
    const hook = entry.hook;
    if (typeof hook !== "object" || hook === null || !hook.usernameEnv || !hook.passwordEnv) {
      configError(`\`${where}.hook\` must be { usernameEnv, passwordEnv, nextPasswordEnv? }`);
    }
    if (!Array.isArray(entry.events) || !entry.events.every((e) => typeof e === "string" && e !== "")) {
      configError(`\`${where}.events\` must be a list of event names`);
    }
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

/**
 * The receiver's `suppliers` option from the same config: each supplier's Basic credentials read from
 * the env, its next password too while a rotation is under way (both accepted).
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
): Record<string, { auth: { basic: { username: string; password: string }[] } }> {
  const suppliers: Record<string, { auth: { basic: { username: string; password: string }[] } }> = {};
  for (const id of checkSuppliersConfig(config)) {
    const { hook } = config.suppliers[id] as SupplierEntry;
    const username = fromEnv(env, hook.usernameEnv, id);
    const basic = [{ username, password: fromEnv(env, hook.passwordEnv, id) }];
    const next = hook.nextPasswordEnv === undefined ? undefined : env[hook.nextPasswordEnv];
    if (next) basic.push({ username, password: next });
    suppliers[id] = { auth: { basic } };
  }
  return suppliers;
}
