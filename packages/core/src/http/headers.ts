/**
 * Request headers as any platform has them: a Web `Headers`, Node's `IncomingHttpHeaders`
 * (lower-cased keys, arrays for repeated headers), a plain record, or a lookup function.
 */
export type HeaderLookup =
  | {
      /** The value of one header, case-insensitive (as a Web `Headers` does). */
      get(name: string): string | null | undefined;
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | ((name: string) => string | null | undefined);

export type HeaderGetter = (name: string) => string | undefined;

/** Normalises a {@link HeaderLookup} into one case-insensitive getter. */
export function toHeaderGetter(headers: HeaderLookup | undefined): HeaderGetter {
  if (headers === undefined || headers === null) return () => undefined;
  if (typeof headers === "function") return (name) => headers(name.toLowerCase()) ?? undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const h = headers as { get(name: string): string | null | undefined };
    return (name) => h.get(name) ?? undefined;
  }
  const record = headers as HeaderRecord;
  return (name) => {
    // the name as asked first: Node's records are lower-case, and so are the names core asks for
    const value = own(record, name) ?? anyCase(record, name.toLowerCase());
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : value.join(", ");
  };
}

/**
 * Every header of a lookup as a Web `Headers` (the lookup itself when it is one); empty for a lookup
 * function, which cannot list its headers.
 */
export function toHeaders(lookup: HeaderLookup | undefined): Headers {
  if (lookup instanceof Headers) return lookup;
  const headers = new Headers();
  if (lookup && typeof lookup === "object" && typeof (lookup as { get?: unknown }).get !== "function") {
    for (const [name, value] of Object.entries(lookup as HeaderRecord)) {
      if (typeof value === "string") headers.append(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
  }
  return headers;
}

type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** An own property only: an inherited one (`constructor`, a polluted prototype's) is not a header. */
const own = (record: HeaderRecord, key: string | undefined) =>
  key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

/** By any case: plain records built by hand may use any. */
const anyCase = (record: HeaderRecord, lower: string) =>
  own(record, lower) ??
  own(
    record,
    Object.keys(record).find((key) => key.toLowerCase() === lower),
  );
