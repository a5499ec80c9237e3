// The content types a delivery may have, and the message of a 415 for any other.

/** Whether a `content-type` is JSON (`application/json`, `application/*+json`, or none at all). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === "application/json" || value === "application/json; charset=utf-8") return true;
  if (value === undefined || value.trim() === "") return true;
  const type = (value.split(";", 1)[0] ?? "").trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** The message of a 415: which content type arrived (printable and cut short), and what is expected. */
export function unsupportedMediaType(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === "") {
    return "the request has no Content-Type; deliveries must be sent as application/json";
  }
  const shown = contentType.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
  return `the body must be application/json, not "${shown}"`;
}
