import { configError } from "./errors.ts";
import type { NotificationsCapability } from "./types.ts";

/** The `Octo-Capabilities` of notifications calls: the capability id(s), then the client's own. */
export function notificationsHeader(
  capability: NotificationsCapability | undefined,
  own: readonly string[],
): string {
  const chosen = capability ?? "notifications";
  if (chosen !== "notifications" && chosen !== "octo/notifications" && chosen !== "both") {
    configError('`notificationsCapability` must be "notifications", "octo/notifications" or "both"');
  }
  const ids = chosen === "both" ? ["notifications", "octo/notifications"] : [chosen];
  return [...new Set([...ids, ...own])].join(", ");
}
