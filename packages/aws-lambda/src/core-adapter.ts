// The one import of core's adapter-only helpers in this package: when they move to a subpath of core
// (`@octo-webhooks/core/adapter`), this line is the only one to change.
export { type AdapterOptions, adapterWebhooks, matchesPath } from "@octo-webhooks/core";
