import { type ReconciledReceiver, redactUrl } from "@octo-webhooks/client";
import type { ReceiveOptions, ReceiveResult } from "@octo-webhooks/core";
import { sendWebhook } from "@octo-webhooks/testing";

// The reconciler's receiver when the receiver lives elsewhere (Workers, Lambda, another process): the
// CLI has none of its own, so each resource read back is POSTed there as a webhook body, with the
// supplier's hook credentials, and the receiver's answer says what became of it. Its auth, dedupe and
// stale guard decide, as for the supplier's own delivery; no code changes on its side.

/** The header every reconciled resource carries, so that a receiver (and its log) can tell. */
export const RECONCILE_HEADER = "octo-webhooks-reconcile";

/** What a supplier's deliveries carry, from the config: Basic credentials or a header. */
export type HookCredential =
  | { kind: "basic"; username: string; password: string }
  | { kind: "header"; name: string; value: string };

/** Where the resources go. */
export interface HttpReceiverTarget {
  /** The receiver's URL, without credentials; a `:supplier` in it becomes each supplier's id. */
  url: string;
  /** Each supplier's credentials, by id. */
  credentials: Readonly<Record<string, HookCredential>>;
  /** Time allowed per POST. */
  timeoutMs: number;
}

const RESOURCES = ["booking", "order", "product", "availability"] as const;
const SKIPS = ["duplicate", "stale", "unchanged", "notFound"] as const;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The webhook event of a body the reconciler passes (`{ booking }` is a `booking_update`). */
export function eventOf(body: unknown): string {
  const fields = typeof body === "object" && body !== null ? body : {};
  const resource = RESOURCES.find((name) => name in fields);
  return resource === undefined ? "unknown" : `${resource}_update`;
}

/** The URL the resources of `supplier` go to. */
export function urlFor(url: string, supplier: string | undefined): string {
  return supplier === undefined ? url : url.replaceAll(":supplier", encodeURIComponent(supplier));
}

/** The error code of a refusal's body (`{ ok: false, error: { code } }`), when it looks like one. */
function refusalCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === "string" && CODE.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link ReconciledReceiver} whose `receive()` POSTs `{ webhook: { event }, ...resource }` to the
 * receiver at `target.url` with the supplier's credentials and `octo-webhooks-reconcile: 1`, and reads
 * its answer: 200 `{"ok":true}` applied, `{"ok":true,"unchanged":true}` (or `stale`, `duplicate`,
 * `notFound`) skipped, anything else a failure (thrown: the reconciler counts it). How many handlers ran
 * is not known over HTTP: `handlers` is 1 for an applied resource, 0 for a skipped one.
 */
export function receiverOverHttp(target: HttpReceiverTarget): ReconciledReceiver {
  return {
    async receive(body: unknown, options: ReceiveOptions = {}): Promise<ReceiveResult> {
      const event = eventOf(body);
      const url = urlFor(target.url, options.supplier);
      const credential = options.supplier === undefined ? undefined : target.credentials[options.supplier];
      const headers: Record<string, string> = { "user-agent": "octo-webhooks-cli (reconcile)" };
      if (credential?.kind === "header") headers[credential.name] = credential.value;
      headers[RECONCILE_HEADER] = "1";
      const shown = redactUrl(url);
      let answer: Awaited<ReturnType<typeof sendWebhook>>;
      try {
        answer = await sendWebhook(
          url,
          { webhook: { event }, ...(body as Record<string, unknown>) },
          {
            ...(credential?.kind === "basic"
              ? { username: credential.username, password: credential.password }
              : {}),
            headers,
            timeoutMs: target.timeoutMs,
          },
        );
      } catch (error) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        const reason = typeof code === "string" ? code : String(message).slice(0, 200);
        throw new Error(`no answer from the receiver ${shown}: ${reason}`);
      }
      if (answer.status < 200 || answer.status > 299) {
        const code = refusalCode(answer.body);
        throw new Error(
          `the receiver ${shown} answered ${answer.status}${code === undefined ? "" : ` ${code}`}`,
        );
      }
      let said: Record<string, unknown> | undefined;
      try {
        said = JSON.parse(answer.body) as Record<string, unknown>;
      } catch {
        said = undefined;
      }
      const skipped = SKIPS.find((name) => said?.[name] === true);
      return skipped === undefined ? { event, handlers: 1 } : { event, handlers: 0, skipped };
    },
  };
}
