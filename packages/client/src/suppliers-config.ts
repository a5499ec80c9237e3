// The config of a receiver with many suppliers (`octo-webhooks.config.ts`): its public URL and, per
// supplier, where its API is, the env vars holding its secrets, and what it should send. Read by
// `syncSuppliers` and `supplierStatus`, and by the receiver through `receiverSuppliers`.
import type { NotificationsCapability } from "./types.ts";

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
