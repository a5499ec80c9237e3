// The edge build (`workerd`, `worker`, `edge-light` conditions): everything but zod on the default path.
export { createOctoWebhooks } from "./create-octo-webhooks.edge.ts";
export * from "./public.ts";
