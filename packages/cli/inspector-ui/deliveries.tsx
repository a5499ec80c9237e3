import { useState } from "preact/hooks";
import { api, type DeliveryView, timeOf } from "./api.ts";
import { ChangesTable } from "./changes.tsx";

// The Deliveries view: the live list with its filters, and the selected delivery's detail (request,
// its changes, answer, retry timeline, replay).

const STATUS_FILTERS = [
  { id: "all", label: "All" },
  { id: "ok", label: "2xx" },
  { id: "failing", label: "Failing (non-2xx or no answer)" },
  { id: "pending", label: "Pending" },
] as const;

const ok = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

function matches(d: DeliveryView, status: string): boolean {
  if (status === "ok") return ok(d.status);
  if (status === "failing") return d.attempts.length > 0 && !ok(d.status);
  if (status === "pending") return d.state === "pending";
  return true;
}

function StatusBadge({ d }: { d: DeliveryView }) {
  const last = d.attempts.at(-1);
  if (last === undefined) return <span class="badge pending">sending</span>;
  if (last.status === undefined) return <span class="badge bad">{last.error ?? "no answer"}</span>;
  return <span class={`badge ${ok(last.status) ? "good" : "bad"}`}>{last.status}</span>;
}

/** Attempts made and retries to come, on one line of time. */
function Timeline({ d }: { d: DeliveryView }) {
  const start = d.attempts[0] ? Date.parse(d.attempts[0].at) : Date.now();
  const offset = (iso: string) => `+${((Date.parse(iso) - start) / 1000).toFixed(1)} s`;
  return (
    <ol class="timeline" aria-label="Attempts and retries">
      {d.attempts.map((a) => (
        <li key={a.attempt} class={ok(a.status) ? "good" : "bad"}>
          <span class="when">{offset(a.at)}</span>
          <span>
            Attempt {a.attempt}: {a.status ?? a.error ?? "no answer"}
          </span>
          <span class="muted">{a.durationMs} ms</span>
        </li>
      ))}
      {d.nextRetries.map((at, i) => (
        <li key={at} class="planned">
          <span class="when">{offset(at)}</span>
          <span>
            Retry {d.attempts.length + i + 1} {i === 0 ? "scheduled" : "if it fails again"}
          </span>
          <span class="muted">{timeOf(at)}</span>
        </li>
      ))}
      {d.state === "failed" && <li class="bad">Gave up: no retry left</li>}
      {d.state === "abandoned" && <li class="bad">The supplier gave up on it (or deleted the webhook)</li>}
      {d.state === "dropped" && <li class="bad">Dropped by the supplier: never sent</li>}
    </ol>
  );
}

function Detail({ d }: { d: DeliveryView }) {
  const [message, setMessage] = useState("");
  const replay = () => {
    setMessage("Replaying…");
    api<{ delivery: string }>(`/api/deliveries/${d.id}/replay`, { method: "POST", body: {} }).then(
      (answer) => setMessage(`Replayed as ${answer.delivery}`),
      (error: Error) => setMessage(`Replay failed: ${error.message}`),
    );
  };
  const last = d.attempts.at(-1);
  return (
    <section class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title">
          Delivery {d.id} <span class="muted">{d.event}</span> <span class="muted">from {d.supplier}</span>
        </h2>
        <button type="button" onClick={replay}>
          Replay
        </button>
      </div>
      <p class="status-line" role="status">
        {message}
      </p>
      <h3>Retries</h3>
      <Timeline d={d} />
      <h3>Request</h3>
      <p>
        <code>POST {d.url}</code>
      </p>
      <table class="headers">
        <caption class="visually-hidden">Request headers</caption>
        <tbody>
          {Object.entries(d.headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.changes !== undefined ? (
        <>
          <h4>Changes (its diff)</h4>
          <ChangesTable rows={d.changes} />
        </>
      ) : (
        d.diff !== undefined && (
          <>
            <h4>diff</h4>
            <pre>{JSON.stringify(d.diff, null, 2)}</pre>
          </>
        )
      )}
      <h4>Body</h4>
      <pre>{JSON.stringify(d.body, null, 2)}</pre>
      <h3>Answer</h3>
      {last === undefined ? (
        <p>Not answered yet.</p>
      ) : (
        <>
          <p>
            <StatusBadge d={d} /> after {last.durationMs} ms (attempt {last.attempt})
          </p>
          <pre>{last.answer || "(empty body)"}</pre>
        </>
      )}
    </section>
  );
}

/** The Deliveries view. */
export function Deliveries({ deliveries, many }: { deliveries: DeliveryView[]; many: boolean }) {
  const [event, setEvent] = useState("all");
  const [status, setStatus] = useState("all");
  const [selected, setSelected] = useState<string | undefined>();
  const events = [...new Set(deliveries.map((d) => d.event))].sort();
  const shown = deliveries.filter((d) => (event === "all" || d.event === event) && matches(d, status));
  const current = deliveries.find((d) => d.id === selected);
  return (
    <div class="split">
      <section aria-labelledby="deliveries-title" class="list">
        <h1 id="deliveries-title">Deliveries</h1>
        <div class="filters">
          <label>
            Event
            <select value={event} onChange={(e) => setEvent(e.currentTarget.value)}>
              <option value="all">All events</option>
              {events.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {STATUS_FILTERS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {shown.length === 0 ? (
          <p class="empty">
            No deliveries yet. Send one from <a href="#send">Send</a>, or POST to the supplier's{" "}
            <code>/_mock/simulate/…</code> routes.
          </p>
        ) : (
          <table class="deliveries">
            <caption class="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                {many && <th scope="col">Supplier</th>}
                <th scope="col">Event</th>
                <th scope="col">Booking / availability</th>
                <th scope="col">Status</th>
                <th scope="col">Attempt</th>
                <th scope="col">Latency</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr key={d.id} class={d.id === selected ? "selected" : ""} data-delivery={d.id}>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-pressed={d.id === selected}
                      onClick={() => setSelected(d.id)}
                    >
                      {d.id}
                    </button>
                  </td>
                  {many && <td>{d.supplier}</td>}
                  <td>{d.event}</td>
                  <td>
                    <code class="subject" title={d.subject}>
                      {d.subject ?? "—"}
                    </code>
                  </td>
                  <td>
                    <StatusBadge d={d} />
                  </td>
                  <td>{d.attempts.length || "—"}</td>
                  <td>{d.latencyMs === undefined ? "—" : `${d.latencyMs} ms`}</td>
                  <td>{d.attempts[0] ? timeOf(d.attempts[0].at) : "…"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {current ? (
        <Detail key={current.id} d={current} />
      ) : (
        <p class="detail empty">Select a delivery to see it.</p>
      )}
    </div>
  );
}
