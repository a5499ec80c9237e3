import type { Change } from "./api.ts";

// A delivery's changes as a table of changed fields (path, was, now), instead of raw JSON: the
// supplier's `diff`, or the change from the resource's previous logged state.

const shown = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));

/** The changed fields; `more`: rows the server left out. */
export function ChangesTable({ rows, more = 0 }: { rows: Change[]; more?: number }) {
  if (rows.length === 0) return <p class="muted">No field changed.</p>;
  return (
    <>
      <table class="changes">
        <caption class="visually-hidden">Changed fields</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Was</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.op}${row.path}`} class={`change ${row.op}`}>
              <th scope="row">
                <code>{row.path || "/"}</code>
              </th>
              <td>
                <code>{shown(row.was)}</code>
              </td>
              <td>
                <code>{shown(row.now)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && <p class="muted">…and {more} more.</p>}
    </>
  );
}
