// The `allowFrom` option: the addresses deliveries may come from (IPv4 and IPv6, single addresses or
// CIDR ranges), and the client address of a request, read through `trustProxy` hops of `X-Forwarded-For`.
// Written here rather than taken from a library: it runs in Workers, and it is this small.

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
type Bytes = Uint8Array;

function parseIPv4(text: string): Bytes | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseIPv6(text: string): Bytes | undefined {
  // a zone (`fe80::1%eth0`) names an interface, not an address
  const address = text.split("%", 1)[0] as string;
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      // an IPv4 tail (`::ffff:192.0.2.1`) is two groups
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIPv4(part);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
        out.push(Number.parseInt(part, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** An address's bytes; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as its IPv4 bytes. */
export function parseAddress(text: string): Bytes | undefined {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, "$1");
  if (!trimmed.includes(":")) return parseIPv4(trimmed);
  const bytes = parseIPv6(trimmed);
  if (bytes === undefined) return undefined;
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** The address as it is said in messages and to `verify`: IPv4-mapped IPv6 as IPv4. */
export function normaliseAddress(text: string): string {
  const trimmed = text.trim();
  const bytes = parseAddress(trimmed);
  return bytes?.length === 4 && trimmed.includes(":") ? bytes.join(".") : trimmed;
}

interface Range {
  bytes: Bytes;
  bits: number;
}

function parseRange(text: string): Range | undefined {
  const [address, prefix, extra] = text.split("/");
  if (address === undefined || extra !== undefined) return undefined;
  const bytes = parseAddress(address);
  if (bytes === undefined) return undefined;
  // a prefix written against an IPv4-mapped address counts the 96 bits before the IPv4 part
  const mappedV4 = bytes.length === 4 && address.includes(":");
  const max = bytes.length * 8;
  if (prefix === undefined) return { bytes, bits: max };
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = Number(prefix) - (mappedV4 ? 96 : 0);
  if (bits < 0 || bits > max) return undefined;
  return { bytes, bits };
}

function inRange(address: Bytes, range: Range): boolean {
  if (address.length !== range.bytes.length) return false;
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== range.bytes[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] as number) & mask) === ((range.bytes[whole] as number) & mask);
}

/**
 * The check of an `allowFrom` option: each entry an address or a CIDR range, IPv4 or IPv6. Throws (via
 * `fail`) naming an entry that is neither.
 */
export function createAllowFrom(
  given: string | readonly string[],
  fail: (message: string) => never,
): (address: string | undefined) => boolean {
  const entries = typeof given === "string" ? [given] : given;
  if (!Array.isArray(entries) || entries.length === 0)
    fail("`allowFrom` must be an address or CIDR range, or a list of them");
  const ranges = entries.map((entry) => {
    const range = typeof entry === "string" ? parseRange(entry.trim()) : undefined;
    if (range === undefined) {
      fail(
        `\`allowFrom\`: ${JSON.stringify(String(entry)).slice(0, 60)} is not an IPv4 or IPv6 address or CIDR range`,
      );
    }
    return range;
  });
  return (address) => {
    const bytes = address === undefined ? undefined : parseAddress(address);
    return bytes !== undefined && ranges.some((range) => inRange(bytes, range));
  };
}

/**
 * The client address of a request: its peer's (`remoteAddress`), or behind `trustProxy` proxies, the
 * entry of `X-Forwarded-For` that many hops before it (`true`: the first entry, every hop trusted).
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: boolean | number,
): string | undefined {
  if (trustProxy === false || trustProxy === 0 || forwardedFor === undefined) {
    return remoteAddress === undefined ? undefined : normaliseAddress(remoteAddress);
  }
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  if (remoteAddress !== undefined) hops.push(remoteAddress);
  const index = trustProxy === true ? 0 : Math.max(0, hops.length - 1 - trustProxy);
  const client = hops[index];
  return client === undefined ? undefined : normaliseAddress(client);
}
