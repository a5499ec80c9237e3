/** Whether two header records hold the same values (names in any case and order). */
export function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const norm = (h: Record<string, string>) =>
    JSON.stringify(
      Object.entries(h)
        .map(([k, v]) => [k.toLowerCase(), v])
        .sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
    );
  return norm(a) === norm(b);
}
