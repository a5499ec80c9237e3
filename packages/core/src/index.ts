export { adapterWebhooks, createOctoWebhooks } from "./create-octo-webhooks.ts";
export * from "./public.ts";
export * from "./schemas.ts";
