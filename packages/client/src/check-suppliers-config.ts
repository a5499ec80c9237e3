import { configError } from "./errors.ts";
import { httpUrl } from "./http-url.ts";
import { placeOf } from "./place-of.ts";
import type { SupplierEntry, SuppliersConfig } from "./suppliers-config.ts";

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The notification types a supplier entry may list (any case). */
const KNOWN_TYPES = ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"];

/** Checks a supplier entry's `notifications` list, naming the mistake. */
function checkNotificationTypes(where: string, types: unknown): void {
  if (types === undefined) return;
  if (
    !Array.isArray(types) ||
    !types.every((t) => typeof t === "string" && KNOWN_TYPES.includes(t.toUpperCase()))
  ) {
    configError(`\`${where}.notifications\` must be a list of ${KNOWN_TYPES.join(", ")} (any case)`);
  }
}

/** Checks the config's shape, naming the mistake (never a secret); returns the supplier ids. */
export function checkSuppliersConfig(config: SuppliersConfig): string[] {
  if (typeof config !== "object" || config === null) configError("the config must be an object");
  if (typeof config.receiverUrl !== "string" || httpUrl(config.receiverUrl) === undefined) {
    configError("`receiverUrl` must be an http(s) URL, e.g. https://shop.example/webhooks/octo/:supplier");
  }
  if (typeof config.suppliers !== "object" || config.suppliers === null) {
    configError("`suppliers` must be an object of suppliers by id");
  }
  const ids = Object.keys(config.suppliers);
  if (ids.length === 0) configError("`suppliers` lists no supplier");
  for (const id of ids) {
    if (!ID.test(id))
      configError(`supplier id \`${id.slice(0, 64)}\` must be letters, digits, ".", "_" or "-"`);
    const entry = config.suppliers[id] as SupplierEntry;
    const where = `suppliers.${id}`;
    if (typeof entry !== "object" || entry === null) configError(`\`${where}\` must be an object`);
    if (placeOf(entry.baseUrl) === undefined) configError(`\`${where}.baseUrl\` must be a URL`);
    if (typeof entry.apiKeyEnv !== "string" || entry.apiKeyEnv === "") {
      configError(`\`${where}.apiKeyEnv\` must name the env var holding its API key`);
    }
    const hook = entry.hook;
    if (typeof hook !== "object" || hook === null || !hook.usernameEnv || !hook.passwordEnv) {
      configError(`\`${where}.hook\` must be { usernameEnv, passwordEnv, nextPasswordEnv? }`);
    }
    if (!Array.isArray(entry.events) || !entry.events.every((e) => typeof e === "string" && e !== "")) {
      configError(`\`${where}.events\` must be a list of event names`);
    }
    checkNotificationTypes(where, entry.notifications);
  }
  return ids;
}
