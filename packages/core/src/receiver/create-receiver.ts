// A receiver: its pipeline (receiver/pipeline.ts), with the methods users call on it.
import { createFetch } from "../http/create-fetch.ts";
import { createPipeline, handle, receive } from "./pipeline.ts";
import { receiverMethods } from "./receiver-methods.ts";
import { remembered } from "./remembered.ts";
import type { OctoRequest, OctoWebhooks, OctoWebhooksOptions } from "./types.ts";

/** Builds a receiver; users call `createOctoWebhooks`. */
export function createReceiver<TContext = unknown>(
  options: OctoWebhooksOptions<TContext>,
): OctoWebhooks<TContext> {
  const pipeline = createPipeline(options);
  const handleRequest = (request: OctoRequest, context?: TContext) => handle(pipeline, request, context);
  return {
    ...receiverMethods<TContext>(pipeline.registry),
    receive: (body, receiveOptions) => receive(pipeline, body, receiveOptions),
    handle: handleRequest,
    fetch: createFetch(handleRequest, pipeline.settings.path),
    drain: () => pipeline.queue.drain(),
    remembered: (resource, rememberedOptions) =>
      remembered(pipeline.settings, resource, rememberedOptions?.supplier),
    lastDelivery: (supplier) => {
      const at = pipeline.lastDelivery.get(supplier ?? "");
      return at === undefined ? undefined : new Date(at);
    },
  };
}
