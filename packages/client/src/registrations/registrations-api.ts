import type { HttpSettings } from "../http/send.ts";
import type { Applied, Kind, Plan, SupplierTraits, SyncOptions } from "../types.ts";
import { checkDesired } from "./check-input.ts";
import { type RestResource, restResource } from "./rest-resource.ts";
import { applySync, planSync } from "./sync.ts";

/** The calls of one kind of registration: its REST calls, `plan` and `sync`. */
export interface RegistrationsApi<Noun extends string, Input, Registered, Field extends string>
  extends RestResource<Input, Registered> {
  plan(
    desired: readonly Input[],
    options?: Pick<SyncOptions, "prune" | "signal">,
  ): Promise<Plan<Noun, Input, Registered, Field>>;
  sync(desired: readonly Input[], options?: SyncOptions): Promise<Applied<Noun, Registered, Field>>;
}

/**
 * `client.webhooks` or `client.notifications`: `kind`'s REST calls over `settings`, and `sync`, which
 * makes the supplier's registrations of that kind exactly what is desired.
 */
export function registrationsApi<
  Noun extends string,
  Input,
  Registered extends { id: string },
  Field extends string,
>(
  settings: HttpSettings,
  kind: Kind<Noun, Input, Registered, Field>,
  capabilities?: readonly string[],
): RegistrationsApi<Noun, Input, Registered, Field> {
  // learnt by the first `sync` that needs an update; saves later syncs a failing PATCH
  const supplier: SupplierTraits = { patchSupported: undefined };
  const api: RegistrationsApi<Noun, Input, Registered, Field> = {
    ...restResource(settings, kind, capabilities),
    async plan(desired, options) {
      checkDesired(desired, kind);
      return planSync(desired, await api.list(options), options ?? {}, kind);
    },
    async sync(desired, options = {}) {
      return applySync(await api.plan(desired, options), api, options, supplier, kind);
    },
  };
  return api;
}
