import { isHttpUrl } from "../post.ts";
import { badRequest } from "./octo-error-body.ts";

// An HTTP header name: an RFC 9110 token. The one check the mock supplier uses for webhook headers.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `name` can be sent as a header name (an RFC 9110 token). */
function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** The fields both resources of the mock's management API (webhooks, subscriptions) have. */
export interface ResourceFields {
  /** As registered, credentials included. */
  url: string;
  headers: Record<string, string>;
  retryOnError: boolean;
  active: boolean;
}

/** The names of `T`'s boolean fields. */
type BooleanField<T> = { [K in keyof T]-?: T[K] extends boolean ? K : never }[keyof T] & string;

/**
 * Checks the fields of a `POST` body (all of them) or a `PATCH` body (those present) the way a supplier
 * would, in this order: a JSON object, `url`, the resource's `own` fields, `booleans`, `headers`.
 * Messages name the field, never its value (a URL can carry credentials).
 */
export function readResourceFields<T extends ResourceFields>(
  body: unknown,
  partial: boolean,
  booleans: readonly BooleanField<T>[],
  own: (input: Record<string, unknown>) => Partial<T>,
): Partial<T> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the body must be a JSON object");
  }
  const input = body as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  if (!partial || input.url !== undefined) {
    // the mock's own check, deliberately not @octo-webhooks/client's (nor its header check): a mock
    // that shared the client's checks could not catch the client's mistakes
    if (typeof input.url !== "string" || !isHttpUrl(input.url)) {
      throw badRequest("url is required and must be an absolute http(s) URL");
    }
    fields.url = input.url;
  }
  Object.assign(fields, own(input));
  for (const key of booleans) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== "boolean") throw badRequest(`${key} must be a boolean`);
    fields[key] = input[key];
  }
  if (input.headers !== undefined) {
    const headers = input.headers;
    const valid =
      typeof headers === "object" &&
      headers !== null &&
      !Array.isArray(headers) &&
      Object.entries(headers).every(
        ([name, value]) => isHeaderName(name) && typeof value === "string" && !/[\r\n\0]/.test(value),
      );
    if (!valid) throw badRequest("headers must be an object of header names to string values");
    fields.headers = { ...(headers as Record<string, string>) };
  }
  return fields as Partial<T>;
}
