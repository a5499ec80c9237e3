const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz]|UTC|GMT)|([+-])(\d{2}):?(\d{2})?)?$/;

/**
 * The instant (epoch milliseconds) an OCTO timestamp names, or `undefined` when it cannot be read.
 * Accepts what real senders send: ISO 8601 with `Z` or an offset (`+01:00`, `+0100`, `+01`), a space
 * instead of the `T` (`"2021-10-27 23:28:43Z"`), fractions of a second, and no zone at all (read as
 * UTC: the fields are `utc*`). Digits beyond the millisecond are ignored.
 *
 * @example
 * ```ts
 * parseInstant("2021-10-27 23:28:43Z") === parseInstant("2021-10-28T00:28:43+01:00"); // true
 * parseInstant("yesterday"); // undefined
 * ```
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length > 40) return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", , sign, oh, om = "0"] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const year = Number(y);
  let utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  if (year < 100) {
    // Date.UTC reads years 0-99 as 1900-1999
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, Math.min(second, 59), ms);
    utc = date.getTime();
  }
  return utc - offsetMinutes * 60_000;
}
