/** A webhook as the mock supplier stores it. */
export interface MockWebhook {
  id: string;
  event: string;
  /** As registered, credentials included (so that `sync` can match it). */
  url: string;
  retryOnError: boolean;
  useContactLanguage: boolean;
  headers: Record<string, string>;
  /** From `Octo-Capabilities` at creation, without `octo/webhooks`; decides the fields deliveries carry. */
  capabilities: string[];
  /** From `Octo-Env` at creation; `"live"` makes deliveries carry `testMode: false`. */
  env: "test" | "live" | undefined;
}

/** An OCTO error answer. */
export class OctoError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorMessage: string,
    readonly extra: Record<string, unknown> = {},
  ) {}
  body(): string {
    return JSON.stringify({ error: this.error, errorMessage: this.errorMessage, ...this.extra });
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const bad = (message: string) => new OctoError(400, "BAD_REQUEST", message);

/**
 * Checks the fields of a `POST /webhooks` body (all of them) or a `PATCH` body (those present), the way
 * a supplier would. Messages name the field, never its value (a URL can carry credentials).
 */
export function readWebhookFields(
  body: unknown,
  events: readonly string[],
  partial: boolean,
): Partial<Omit<MockWebhook, "id" | "capabilities" | "env">> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad("the body must be a JSON object");
  }
  const input = body as Record<string, unknown>;
  const fields: Partial<Omit<MockWebhook, "id" | "capabilities" | "env">> = {};
  if (!partial || input.url !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof input.url === "string" ? new URL(input.url) : undefined;
    } catch {}
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw bad("url is required and must be an absolute http(s) URL");
    }
    fields.url = input.url as string;
  }
  if (!partial || input.event !== undefined) {
    if (typeof input.event !== "string" || !events.includes(input.event)) {
      throw bad(`event must be one of ${events.join(", ")}`);
    }
    fields.event = input.event;
  }
  for (const key of ["retryOnError", "useContactLanguage"] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== "boolean") throw bad(`${key} must be a boolean`);
    fields[key] = input[key];
  }
  if (input.headers !== undefined) {
    const headers = input.headers;
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      throw bad("headers must be an object of header names to string values");
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || typeof value !== "string" || /[\r\n\0]/.test(value)) {
        throw bad("headers must be an object of header names to string values");
      }
    }
    fields.headers = { ...(headers as Record<string, string>) };
  }
  return fields;
}

/** What the management API returns for a webhook. */
export function publicWebhook(webhook: MockWebhook) {
  const { env: _env, ...shown } = webhook;
  return { ...shown, headers: { ...shown.headers }, capabilities: [...shown.capabilities] };
}

/** `Octo-Capabilities: octo/webhooks, octo/pricing` -> `["octo/webhooks", "octo/pricing"]`. */
export function parseCapabilities(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");
}
