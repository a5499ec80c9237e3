// The watchdog of a reconciliation run: the desired webhooks and notification subscriptions that are no
// longer at the supplier (it deleted them after failed deliveries) are created again; one at the same
// URL with other credentials is reported as drifted, never changed. It creates only: it never deletes.
import type { Logger } from "@octo-webhooks/core";
import { PACKAGE_PREFIX } from "../errors.ts";
import { redactUrl } from "../http/urls.ts";
import type { SupplierDrift } from "../suppliers/supplier-status.ts";
import { placeOf } from "../suppliers/suppliers-config.ts";
import type { RegisteredSubscription, RegisteredWebhook, SubscriptionInput, WebhookInput } from "../types.ts";
import type { SupplierLane } from "./supplier-lane.ts";
import type {
  DriftedRegistration,
  ReconciledClient,
  RecreatedRegistration,
  WatchedRegistrations,
} from "./types.ts";

const decoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** What of a registration's credentials differs from the desired one's (`accepted`: also right). */
function credentialsDrift(
  registered: { url?: string | null | undefined; headers?: Record<string, string> | null | undefined },
  desired: { url: string; headers?: Record<string, string> | undefined },
  accepted: readonly string[],
): SupplierDrift[] {
  const drift: SupplierDrift[] = [];
  const want = new URL(desired.url);
  if (want.username !== "" || want.password !== "") {
    let have: URL | undefined;
    try {
      have = new URL(registered.url ?? "");
    } catch {}
    if (have === undefined || decoded(have.username) !== decoded(want.username)) drift.push("username");
    const password = have === undefined ? undefined : decoded(have.password);
    if (password === undefined || (password !== decoded(want.password) && !accepted.includes(password))) {
      drift.push("password");
    }
  }
  const headers = registered.headers;
  // a supplier that does not echo headers: nothing to compare
  if (desired.headers !== undefined && typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(desired.headers)) {
      const lower = name.toLowerCase();
      const echoed = Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1];
      if (echoed !== value && (echoed === undefined || !accepted.includes(echoed)))
        drift.push(`header ${name}`);
    }
  }
  return drift;
}

export interface WatchOutcome {
  recreated: RecreatedRegistration[];
  drifted: DriftedRegistration[];
}

/**
 * Lists the supplier's webhooks (and subscriptions, when some are desired), creates the desired ones
 * missing at their URL, reports those there with other credentials. Reads go through `lane`.
 */
export async function watchRegistrations(
  client: ReconciledClient,
  watch: WatchedRegistrations,
  lane: SupplierLane,
  log: { logger: Logger; supplier: string | undefined },
): Promise<WatchOutcome> {
  const outcome: WatchOutcome = { recreated: [], drifted: [] };
  const accepted = watch.alsoAccepted ?? [];
  const { logger, supplier } = log;
  const at = supplier === undefined ? "at the supplier" : `at supplier ${supplier}`;
  const webhooks = watch.webhooks ?? [];
  if (webhooks.length > 0) {
    const registered = await lane.read((signal) => client.webhooks.list({ signal }));
    for (const desired of webhooks) {
      const place = placeOf(desired.url);
      const there = registered.filter((w) => w.event === desired.event && placeOf(w.url) === place);
      const found = check(there, desired, accepted, "webhook", desired.event);
      if (found.right) continue;
      if (found.drifted.length > 0) {
        outcome.drifted.push(...found.drifted);
        continue;
      }
      const created: RegisteredWebhook = await lane.read((signal) =>
        client.webhooks.create(desired, { signal }),
      );
      outcome.recreated.push({
        kind: "webhook",
        event: created.event,
        id: created.id,
        url: redactUrl(desired.url),
      });
    }
  }
  const subscriptions = watch.notifications ?? [];
  if (subscriptions.length > 0) {
    const registered = await lane.read((signal) => client.notifications.list({ signal }));
    for (const desired of subscriptions) {
      const place = placeOf(desired.url);
      const there = registered.filter((s) => placeOf(s.url) === place);
      const types = desired.notificationTypes.map((t) => t.toUpperCase()).join(",");
      const found = check(there, desired, accepted, "notification", types);
      if (found.right) continue;
      if (found.drifted.length > 0) {
        outcome.drifted.push(...found.drifted);
        continue;
      }
      const created: RegisteredSubscription = await lane.read((signal) =>
        client.notifications.create(desired, { signal }),
      );
      outcome.recreated.push({
        kind: "notification",
        event: types,
        id: created.id,
        url: redactUrl(desired.url),
      });
    }
  }
  for (const entry of outcome.recreated) {
    logger.warn?.(
      `${PACKAGE_PREFIX} the ${entry.event} ${entry.kind === "webhook" ? "webhook" : "notification subscription"} to ${entry.url} was missing ${at} (deleted after failed deliveries?): created it again (id ${entry.id})`,
      { supplier },
    );
  }
  for (const entry of outcome.drifted) {
    logger.warn?.(
      `${PACKAGE_PREFIX} the ${entry.event} ${entry.kind === "webhook" ? "webhook" : "notification subscription"} ${entry.id} to ${entry.url} ${at} carries other credentials than desired (${entry.drifted.join(", ")}): its deliveries are refused; run sync to fix it`,
      { supplier },
    );
  }
  return outcome;
}

/** Whether one of `there` is right, else the drift of each (none there: missing). */
function check(
  there: ReadonlyArray<RegisteredWebhook | RegisteredSubscription>,
  desired: WebhookInput | SubscriptionInput,
  accepted: readonly string[],
  kind: "webhook" | "notification",
  event: string,
): { right: boolean; drifted: DriftedRegistration[] } {
  const drifted: DriftedRegistration[] = [];
  for (const registered of there) {
    const drift = credentialsDrift(registered, desired, accepted);
    if (drift.length === 0) return { right: true, drifted: [] };
    drifted.push({ kind, event, id: registered.id, url: redactUrl(registered.url ?? ""), drifted: drift });
  }
  return { right: false, drifted };
}
