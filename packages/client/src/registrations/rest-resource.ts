// The REST calls of webhooks and notification subscriptions alike: create, list, get, update and
// delete over one collection path, each answer read by the kind, with the errors they share.
import { configError, invalidResponse, OctoApiError } from "../errors.ts";
import { type HttpSettings, send } from "../http/send.ts";
import { redactUrl } from "../http/urls.ts";
import type { Kind, RequestOptions } from "../types.ts";
import { checkInput } from "./check-input.ts";

/** The calls of one collection (`webhooks`, `notifications/subscriptions`). */
export interface RestResource<Input, Registered> {
  /** `POST /<collection>`. */
  create(input: Input, options?: RequestOptions): Promise<Registered>;
  /** `GET /<collection>`. */
  list(options?: RequestOptions): Promise<Registered[]>;
  /** `GET /<collection>/{id}`. */
  get(id: string, options?: RequestOptions): Promise<Registered>;
  /** `PATCH /<collection>/{id}`. */
  update(id: string, patch: Partial<Input>, options?: RequestOptions): Promise<Registered>;
  /** `DELETE /<collection>/{id}`. */
  delete(id: string, options?: RequestOptions): Promise<void>;
}

/**
 * The calls of `kind`'s collection over `settings`; `capabilities` (the client's) go into what `create`
 * sends when the kind says so.
 */
export function restResource<Input, Registered>(
  settings: HttpSettings,
  kind: Kind<string, Input, Registered, string>,
  capabilities?: readonly string[],
): RestResource<Input, Registered> {
  const { collection, noun } = kind;
  /** `<collection>/<id>`, the id percent-encoded; `.` and `..` would be read as dot-segments, so they are refused. */
  const pathOf = (id: string) => {
    if (typeof id !== "string" || id === "") configError(`the ${noun} id must be a non-empty string`);
    if (id === "." || id === "..") {
      configError(`the ${noun} id must not be "${id}" (it would address another path than one ${noun})`);
    }
    return `${collection}/${encodeURIComponent(id)}`;
  };
  return {
    async create(input, options) {
      checkInput(input, true, kind);
      const sent = kind.createBody(input, capabilities);
      const { body } = await send(settings, "POST", collection, sent, options?.signal);
      return kind.parse(body, `POST /${collection}`);
    },
    async list(options) {
      const { body } = await send(settings, "GET", collection, undefined, options?.signal);
      if (!Array.isArray(body)) invalidResponse(`GET /${collection}`, `a list of ${noun}s`);
      return body.map((item, i) => kind.parse(item, `GET /${collection} [${i}]`));
    },
    async get(id, options) {
      const { body } = await send(settings, "GET", pathOf(id), undefined, options?.signal);
      return kind.parse(body, `GET /${collection}/:id`);
    },
    async update(id, patch, options) {
      const path = pathOf(id);
      checkInput(patch, false, kind);
      if (Object.keys(patch).length === 0) configError("`update` needs at least one field to change");
      const { body } = await send(settings, "PATCH", path, kind.patchBody(patch), options?.signal);
      return kind.parse(body, `PATCH /${collection}/:id`);
    },
    async delete(id, options) {
      const path = pathOf(id);
      const { status, body } = await send(settings, "DELETE", path, undefined, options?.signal);
      // some suppliers answer 200 { success: false, message } instead of an error status
      const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      if (record.success === false) {
        const message =
          typeof record.message === "string" ? settings.scrub(record.message).slice(0, 1000) : "(no message)";
        throw new OctoApiError(status, "DELETE_FAILED", message, {
          method: "DELETE",
          url: redactUrl(new URL(path, settings.baseUrl)),
          attempts: 1,
        });
      }
    },
  };
}
