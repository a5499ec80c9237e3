// The dynamic module: makes the receiver from the options (Nest's Logger as its default logger), mounts
// it on the platform, registers the @OnOctoEvent methods once every provider exists, and drains
// ack-first handlers when the app shuts down.
import { type DynamicModule, Logger, type Provider } from "@nestjs/common";
import { DiscoveryModule, DiscoveryService, HttpAdapterHost, MetadataScanner } from "@nestjs/core";
import type { Logger as OctoLogger, OctoWebhooks } from "@octo-webhooks/core";
import { adapterWebhooks } from "@octo-webhooks/core/adapter";
import { mountReceiver } from "./mount.ts";
import { registerDecoratedHandlers } from "./on-octo-event.ts";
import {
  OCTO_WEBHOOKS,
  OCTO_WEBHOOKS_OPTIONS,
  type OctoNestAsyncOptions,
  type OctoNestOptions,
  PACKAGE,
} from "./options.ts";

/** Core's logger over Nest's: refused deliveries (debug), duplicates (log), warnings, handler failures. */
function nestLogger(logger: Logger): OctoLogger {
  return {
    debug: (message) => logger.debug(message),
    info: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
    error: (message, fields) =>
      fields?.error instanceof Error ? logger.error(message, fields.error.stack) : logger.error(message),
  };
}

/** The receiver, made and mounted once the options are known. */
function createReceiver(options: OctoNestOptions, host: HttpAdapterHost): OctoWebhooks<unknown> {
  if (typeof options !== "object" || options === null) {
    throw new Error(`[${PACKAGE}] options must be an object, for example { path: "/webhooks/octo" }`);
  }
  if (typeof options.path !== "string" || !options.path.startsWith("/")) {
    throw new Error(
      `[${PACKAGE}] give the \`path\` the receiver answers, for example { path: "/webhooks/octo" }`,
    );
  }
  const logger = new Logger("OctoWebhooks");
  const withLogger =
    options.webhooks === undefined && options.logger === undefined
      ? { ...options, logger: nestLogger(logger) }
      : options;
  const { webhooks, path } = adapterWebhooks(withLogger, PACKAGE);
  mountReceiver(host, webhooks, path ?? options.path);
  return webhooks;
}

/** Registers the decorated handlers after every provider exists, and drains on shutdown. */
class OctoWebhooksLifecycle {
  constructor(
    private readonly webhooks: OctoWebhooks<unknown>,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}
  onModuleInit(): void {
    registerDecoratedHandlers(this.webhooks, this.discovery, this.scanner);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.webhooks.drain();
  }
}

const providers = (options: Provider): Provider[] => [
  options,
  {
    provide: OCTO_WEBHOOKS,
    inject: [OCTO_WEBHOOKS_OPTIONS, HttpAdapterHost],
    useFactory: createReceiver,
  },
  {
    provide: OctoWebhooksLifecycle,
    inject: [OCTO_WEBHOOKS, DiscoveryService, MetadataScanner],
    useFactory: (webhooks: OctoWebhooks<unknown>, discovery: DiscoveryService, scanner: MetadataScanner) =>
      new OctoWebhooksLifecycle(webhooks, discovery, scanner),
  },
];

/**
 * Receives OCTO webhooks in a Nest app, on the Express or the Fastify platform: `forRoot(options)` (or
 * `forRootAsync` for options from `ConfigService`) mounts the receiver at `path`, ahead of Nest's body
 * parsing, so it works whatever `bodyParser` and `rawBody` the app was created with. Handlers are
 * options (`onBookingUpdate`...) or methods of providers decorated with {@link OnOctoEvent}. The receiver
 * is injectable as {@link OCTO_WEBHOOKS}. Import it once, in the root module.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     OctoWebhooksModule.forRoot({
 *       path: "/webhooks/octo",
 *       auth: { basic: { username: "octo", password: process.env.OCTO_HOOK_PASS! } },
 *     }),
 *   ],
 *   providers: [Bookings], // a class with @OnOctoEvent("booking.cancelled") methods
 * })
 * export class AppModule {}
 * ```
 */
// biome-ignore lint/complexity/noStaticOnlyClass: Nest identifies a dynamic module by its class
export class OctoWebhooksModule {
  /**
   * The module with options given at once.
   *
   * @example
   * ```ts
   * OctoWebhooksModule.forRoot({ path: "/webhooks/octo", onBookingUpdate: ({ booking }) => console.log(booking.uuid) });
   * ```
   */
  static forRoot(options: OctoNestOptions): DynamicModule {
    return {
      module: OctoWebhooksModule,
      global: true,
      imports: [DiscoveryModule],
      providers: providers({ provide: OCTO_WEBHOOKS_OPTIONS, useValue: options }),
      exports: [OCTO_WEBHOOKS],
    };
  }

  /**
   * The module with options made by a factory, with Nest's injection (credentials from `ConfigService`).
   *
   * @example
   * ```ts
   * OctoWebhooksModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     path: "/webhooks/octo",
   *     auth: { basic: { username: "octo", password: config.getOrThrow("OCTO_HOOK_PASS") } },
   *   }),
   * });
   * ```
   */
  static forRootAsync(options: OctoNestAsyncOptions): DynamicModule {
    if (typeof options?.useFactory !== "function") {
      throw new Error(`[${PACKAGE}] forRootAsync() takes { useFactory, inject?, imports? }`);
    }
    return {
      module: OctoWebhooksModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: providers({
        provide: OCTO_WEBHOOKS_OPTIONS,
        inject: options.inject ?? [],
        useFactory: options.useFactory as (...args: unknown[]) => OctoNestOptions,
      }),
      exports: [OCTO_WEBHOOKS],
    };
  }
}
