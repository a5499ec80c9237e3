import type { WebhookPatch } from "./create-octo-client.ts";
import { configError } from "./errors.ts";
import { isHeaderName } from "./header-name.ts";

/** Catches obvious mistakes before a request is sent (the supplier validates the rest). */
export function checkInput(input: WebhookPatch, required: boolean): void {
  if (typeof input !== "object" || input === null) configError("the webhook must be an object");
  if (required || input.url !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof input.url === "string" ? new URL(input.url) : undefined;
    } catch {}
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
      configError("`url` must be an absolute http(s) URL");
    }
  }
  if ((required || input.event !== undefined) && (typeof input.event !== "string" || input.event === "")) {
    configError('`event` must be a non-empty string such as "booking_update"');
  }
  if (input.capabilities !== undefined) {
    const list: unknown = input.capabilities;
    if (
      !Array.isArray(list) ||
      !list.every((c) => typeof c === "string" && /^[\x21-\x2b\x2d-\x7e]+$/.test(c))
    ) {
      configError('`capabilities` must be a list of names like "octo/pricing"');
    }
  }
  if (input.active !== undefined && typeof input.active !== "boolean")
    configError("`active` must be a boolean");
  if (input.headers !== undefined) {
    if (typeof input.headers !== "object" || input.headers === null)
      configError("`headers` must be a record of strings");
    for (const [name, value] of Object.entries(input.headers)) {
      if (!isHeaderName(name)) configError(`\`headers\`: "${name}" is not a header name`);
      if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
        configError(`\`headers\`: the value of "${name}" must be a string without line breaks`);
      }
    }
  }
}

/** The supplier always includes `octo/cart` for `order_update`; say so in the body, so that echoes compare equal. */
export const CART = "octo/cart";

/**
 * `input` with `octo/cart` in the `capabilities` of an `order_update` webhook (after `fallback`, the
 * client's capabilities, when the input names none); other webhooks unchanged.
 */
export function withCart<T extends WebhookPatch>(input: T, fallback: readonly string[] | undefined): T {
  if (input.event !== "order_update") return input;
  const given = input.capabilities ?? fallback ?? [];
  return { ...input, capabilities: [...new Set([CART, ...given])] };
}
