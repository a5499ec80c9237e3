/** Whether `url` is an absolute `http:` or `https:` URL: where a webhook can be delivered. */
export function isHttpUrl(url: string | URL): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
