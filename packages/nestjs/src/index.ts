/**
 * Receive OCTO webhooks in NestJS, on the Express and the Fastify platforms: {@link OctoWebhooksModule}
 * mounts the receiver of `@octo-webhooks/core` ahead of Nest's body parsing, and {@link OnOctoEvent}
 * makes providers' methods handlers, with Nest's injection. Everything `@octo-webhooks/core` exports is
 * re-exported.
 *
 * @packageDocumentation
 */
export * from "@octo-webhooks/core";
export { OctoWebhooksModule } from "./module.ts";
export { type OctoEventName, OnOctoEvent } from "./on-octo-event.ts";
export { OCTO_WEBHOOKS, type OctoNestAsyncOptions, type OctoNestOptions } from "./options.ts";
