// An HTTP header name: an RFC 9110 token. The one check the mock supplier uses for webhook headers.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `name` can be sent as a header name (an RFC 9110 token). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}
