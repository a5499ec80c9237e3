import { useEffect, useState } from "preact/hooks";
import { api, type LogEntry, type LogPage, type LogState, timeOf } from "./api.ts";
import { LogDetailView, OutcomeBadge, StatusBadge } from "./log-detail.tsx";

// The page of `octo-webhooks inspect`: the delivery log read from its store, newest first, with the
// filters of `deliveries list` (applied by the store), and the selected delivery's detail.

const EVENTS = ["booking_update", "availability_update", "order_update", "product_update", "notification"];

interface Filters {
  supplier: string;
  event: string;
  resource: string;
  outcome: string;
  status: string;
  since: string;
}

const NO_FILTER: Filters = { supplier: "", event: "", resource: "", outcome: "", status: "", since: "" };

function query(filters: Filters, cursor: string | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters))
    if (value.trim() !== "") params.set(name, value.trim());
  if (cursor !== undefined) params.set("cursor", cursor);
  params.set("limit", "50");
  return params.toString();
}

function LogList({ state }: { state: LogState }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTER);
  const [filters, setFilters] = useState<Filters>(NO_FILTER);
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [problem, setProblem] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();

  const load = (more?: string) => {
    api<LogPage>(`/api/log?${query(filters, more)}`).then(
      (page) => {
        setEntries((current) => (more === undefined ? page.entries : [...current, ...page.entries]));
        setCursor(page.cursor);
        setProblem("");
        setLoaded(true);
      },
      (error: Error) => setProblem(error.message),
    );
  };
  useEffect(() => load(), [filters]);

  const apply = (next: Filters) => {
    setDraft(next);
    setFilters(next);
  };
  const field = (name: keyof Filters) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  const events = [...new Set([...EVENTS, ...entries.flatMap((e) => (e.event ? [e.event] : []))])];

  return (
    <div class="split">
      <section aria-labelledby="deliveries-title" class="list">
        <div class="detail-head">
          <h1 id="deliveries-title">Deliveries</h1>
          <button type="button" class="secondary" onClick={() => load()}>
            Refresh
          </button>
        </div>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters(draft);
          }}
        >
          <label>
            Supplier
            <input size={10} {...field("supplier")} />
          </label>
          <label>
            Event
            <select value={draft.event} onChange={(e) => apply({ ...draft, event: e.currentTarget.value })}>
              <option value="">All events</option>
              {events.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Resource
            <input size={16} placeholder="booking uuid, order id…" {...field("resource")} />
          </label>
          <label>
            Outcome
            <select
              value={draft.outcome}
              onChange={(e) => apply({ ...draft, outcome: e.currentTarget.value })}
            >
              <option value="">All outcomes</option>
              {state.outcomes.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            HTTP status
            <input size={4} inputMode="numeric" {...field("status")} />
          </label>
          <label>
            Since
            <input size={10} placeholder="2h, 2026-12-05" {...field("since")} />
          </label>
          <button type="submit">Filter</button>
        </form>
        {problem !== "" && (
          <p class="status-line" role="alert">
            {problem}
          </p>
        )}
        {entries.length === 0 ? (
          <p class="empty">{loaded ? "No delivery in the log matches." : "Reading the log…"}</p>
        ) : (
          <table class="deliveries">
            <caption class="visually-hidden">Logged deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Supplier</th>
                <th scope="col">Event</th>
                <th scope="col">Resource</th>
                <th scope="col">Status</th>
                <th scope="col">Outcome</th>
                <th scope="col">Attempt</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} class={e.id === selected ? "selected" : ""} data-entry={e.id}>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-pressed={e.id === selected}
                      title={`${e.receivedAt} (${e.id})`}
                      onClick={() => setSelected(e.id)}
                    >
                      {timeOf(e.receivedAt)}
                    </button>
                  </td>
                  <td>{e.supplier ?? "—"}</td>
                  <td>{e.event ?? "—"}</td>
                  <td>
                    <code class="subject" title={e.resourceId}>
                      {e.resourceId ?? "—"}
                    </code>
                  </td>
                  <td>
                    <StatusBadge e={e} />
                  </td>
                  <td title={e.error === undefined ? undefined : `${e.error.code}: ${e.error.message}`}>
                    <OutcomeBadge e={e} />
                  </td>
                  <td>
                    {e.attempt ?? "—"}
                    {e.source === "replay" && <span class="muted"> (replay)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor !== undefined && (
          <p>
            <button type="button" class="secondary" onClick={() => load(cursor)}>
              Load more
            </button>
          </p>
        )}
      </section>
      {selected !== undefined ? (
        <LogDetailView key={selected} id={selected} replayTo={state.replayTo} onSelect={setSelected} />
      ) : (
        <p class="detail empty">Select a delivery to see it.</p>
      )}
    </div>
  );
}

/** The page of `inspect`. */
export function LogApp() {
  const [state, setState] = useState<LogState | undefined>();
  const [problem, setProblem] = useState("");
  useEffect(() => {
    document.title = "Delivery log · octo-webhooks inspector";
    api<LogState>("/api/state").then(setState, (error: Error) => setProblem(error.message));
  }, []);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <strong>octo-webhooks</strong> inspector
        </div>
        <p class="endpoint">
          Delivery log <code>{state?.store ?? "…"}</code>{" "}
          {state &&
            (state.replayTo !== undefined ? (
              <>
                replays to <code>{state.replayTo}</code>
              </>
            ) : (
              <span class="muted">read-only</span>
            ))}
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        {problem !== "" && <p role="alert">{problem}</p>}
        {state && <LogList state={state} />}
      </main>
    </>
  );
}
