// The handler decorator, and how decorated methods are found among the app's providers.
import { SetMetadata } from "@nestjs/common";
import { type DiscoveryService, type MetadataScanner, Reflector } from "@nestjs/core";
import type { OctoHandlerEventMap, OctoWebhooks } from "@octo-webhooks/core";

const EVENTS = "@octo-webhooks/nestjs:events";

/** The events {@link OnOctoEvent} takes: a modelled event or lifecycle event, or any other event name. */
export type OctoEventName = keyof OctoHandlerEventMap | (string & {});

/**
 * Makes a method of an injectable a handler of one event or several (`"booking_update"`,
 * `"availability_update"`, a lifecycle event such as `"booking.cancelled"`, or `"*"` for every
 * delivery). It gets what `webhooks.on()` handlers get, the payload and the handler context, and the
 * provider's own dependencies through Nest's injection. Its provider must be in a module of the app.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Bookings {
 *   constructor(private readonly seats: SeatsService) {}
 *
 *   @OnOctoEvent("booking.cancelled")
 *   async release({ booking }: BookingUpdateEvent) {
 *     await this.seats.release(booking.uuid);
 *   }
 * }
 * ```
 */
export function OnOctoEvent(...events: [OctoEventName, ...OctoEventName[]]): MethodDecorator {
  return SetMetadata(EVENTS, events);
}

/** Registers every method decorated with {@link OnOctoEvent} on `webhooks`; returns how many. */
export function registerDecoratedHandlers(
  webhooks: OctoWebhooks<unknown>,
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): number {
  const reflector = new Reflector();
  let count = 0;
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!wrapper.isDependencyTreeStatic()) {
      // request-scoped (or depending on one): there is no instance to call when a delivery arrives
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      const decorated = prototype
        ? scanner.getAllMethodNames(prototype).find((name) => {
            const method = (prototype as Record<string, unknown>)[name];
            return (
              typeof method === "function" && reflector.get(EVENTS, method as () => unknown) !== undefined
            );
          })
        : undefined;
      if (decorated !== undefined) {
        throw new Error(
          `[@octo-webhooks/nestjs] ${String(wrapper.name)}.${decorated} has @OnOctoEvent, but its provider is request-scoped (or depends on one); make it a singleton (the default scope) and inject what varies per call`,
        );
      }
      continue;
    }
    if (typeof instance !== "object" || instance === null) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = (instance as Record<string, unknown>)[name];
      if (typeof method !== "function") continue;
      const events = reflector.get<string[] | undefined>(EVENTS, method as () => unknown);
      if (events === undefined) continue;
      const handler = (payload: unknown, context: unknown) => method.call(instance, payload, context);
      for (const event of events) {
        if (event === "*") webhooks.onAny(handler);
        else webhooks.on(event, handler as Parameters<OctoWebhooks<unknown>["on"]>[1]);
      }
      count++;
    }
  }
  return count;
}
