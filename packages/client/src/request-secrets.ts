/** Header values shorter than this are not treated as secrets (`"1"` would blank every digit). */
const MIN_HEADER_SECRET = 4;

/** The secrets of one request: the URL credentials and header values of the webhook it sends. */
export function requestSecrets(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const secrets: string[] = [];
  const { url, headers } = body as { url?: unknown; headers?: unknown };
  if (typeof url === "string") {
    try {
      const parsed = new URL(url);
      if (parsed.username !== "") secrets.push(parsed.username);
      if (parsed.password !== "") secrets.push(parsed.password);
    } catch {}
  }
  if (typeof headers === "object" && headers !== null) {
    for (const value of Object.values(headers)) {
      if (typeof value === "string" && value.trim().length >= MIN_HEADER_SECRET) secrets.push(value.trim());
    }
  }
  return secrets;
}
