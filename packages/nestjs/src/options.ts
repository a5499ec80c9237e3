// What OctoWebhooksModule takes: the adapters' options with a required `path`, given at once (forRoot)
// or made by a factory with Nest's injection (forRootAsync).

import type { FactoryProvider, ModuleMetadata } from "@nestjs/common";
import type { AdapterOptions } from "@octo-webhooks/core";

/** The package's name, at the start of every error it throws. */
export const PACKAGE = "@octo-webhooks/nestjs";

/**
 * Options of {@link OctoWebhooksModule}: core's options, the `path` it answers, and optionally an existing
 * receiver as `webhooks`. A per-request `auth` resolver gets the platform's request (Express's `req` or
 * Fastify's `request`). Without a `logger`, core logs through Nest's `Logger` ("OctoWebhooks").
 */
export type OctoNestOptions = AdapterOptions<unknown> & {
  /** The path the receiver answers, for example "/webhooks/octo" (Nest's global prefix does not apply). */
  path: string;
};

/** Options of {@link OctoWebhooksModule.forRootAsync}: a factory for the options, with what it injects. */
export interface OctoNestAsyncOptions {
  /** Modules whose providers the factory injects (`ConfigModule`...). */
  imports?: ModuleMetadata["imports"];
  /** The providers the factory gets, in order (`ConfigService`...). */
  inject?: FactoryProvider["inject"];
  /** Makes the options (it may be async). */
  useFactory: (...args: never[]) => OctoNestOptions | Promise<OctoNestOptions>;
}

/**
 * The injection token of the receiver the module created (an `OctoWebhooks`): inject it to `receive()`
 * bodies yourself or to register handlers by hand.
 *
 * @example
 * ```ts
 * constructor(@Inject(OCTO_WEBHOOKS) private readonly webhooks: OctoWebhooks) {}
 * ```
 */
export const OCTO_WEBHOOKS = Symbol.for("@octo-webhooks/nestjs:webhooks");

/** The injection token of the module's options. */
export const OCTO_WEBHOOKS_OPTIONS = Symbol.for("@octo-webhooks/nestjs:options");
