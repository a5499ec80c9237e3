import { useEffect, useState } from "preact/hooks";
import { api, type LogDetail, type LogEntry, type Replay, timeOf } from "./api.ts";
import { ChangesTable } from "./changes.tsx";

// One logged delivery whole: its attempts, the request (headers, body), what it changed, the answer and
// each handler's result; Replay when `inspect` was started with --allow-replay.

const ok = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/** The answer's status, or a dash for `receive()` (no HTTP answer). */
export function StatusBadge({ e }: { e: LogEntry }) {
  if (e.status === undefined) return <span class="muted">—</span>;
  return <span class={`badge ${ok(e.status) ? "good" : "bad"}`}>{e.status}</span>;
}

/** The outcome: good when handled, bad when refused or failed, neutral otherwise. */
export function OutcomeBadge({ e }: { e: LogEntry }) {
  const tone =
    e.outcome === "handled" || e.outcome === "accepted"
      ? "good"
      : e.outcome === "failed" || e.outcome === "refused"
        ? "bad"
        : "pending";
  return <span class={`badge ${tone}`}>{e.outcome}</span>;
}

function ChangesFrom({ changes }: { changes: LogDetail["changes"] }) {
  if (changes.from === "none") {
    return <p class="muted">No diff, and no earlier delivery of this resource in the log to compare with.</p>;
  }
  return (
    <>
      <p class="muted">
        {changes.from === "diff"
          ? "From the delivery's diff."
          : `Since the previous delivery of this resource (${timeOf(changes.previous?.receivedAt ?? "")}).`}
      </p>
      <ChangesTable rows={changes.rows} more={changes.more} />
    </>
  );
}

function Body({ entry }: { entry: LogDetail["entry"] }) {
  if (entry.body !== undefined) return <pre>{JSON.stringify(entry.body, null, 2)}</pre>;
  if (entry.bodyText !== undefined) return <pre>{entry.bodyText}</pre>;
  if (entry.bodySize !== undefined) {
    return (
      <p class="muted">
        Not kept: {entry.bodySize} bytes, over the log's limit
        {entry.bodyHash ? ` (hash ${entry.bodyHash})` : ""}.
      </p>
    );
  }
  return <p class="muted">Not read (refused before its body).</p>;
}

/** The detail of entry `id`; `onSelect` shows another attempt. */
export function LogDetailView({
  id,
  replayTo,
  onSelect,
}: {
  id: string;
  replayTo: string | undefined;
  onSelect: (id: string) => void;
}) {
  const [detail, setDetail] = useState<LogDetail | undefined>();
  const [message, setMessage] = useState("");
  useEffect(() => {
    setDetail(undefined);
    api<LogDetail>(`/api/log/${encodeURIComponent(id)}`).then(setDetail, (error: Error) =>
      setMessage(`Cannot read it: ${error.message}`),
    );
  }, [id]);
  if (detail === undefined) {
    return (
      <section class="detail" aria-live="polite">
        <p class="muted">{message || "Loading…"}</p>
      </section>
    );
  }
  const { entry, attempts, changes } = detail;
  const replay = () => {
    setMessage("Replaying…");
    api<Replay>(`/api/log/${encodeURIComponent(id)}/replay`, { method: "POST", body: {} }).then(
      (answer) =>
        setMessage(
          answer.result === "failed"
            ? `Replay failed: ${answer.status ?? ""} ${answer.error ?? answer.answer ?? ""}`.trim()
            : `Replayed: ${answer.status} ${answer.result}`,
        ),
      (error: Error) => setMessage(`Replay failed: ${error.message}`),
    );
  };
  const start = attempts[0] ? Date.parse(attempts[0].receivedAt) : Date.parse(entry.receivedAt);
  const offset = (iso: string) => `+${((Date.parse(iso) - start) / 1000).toFixed(1)} s`;
  return (
    <section class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title">
          Delivery {entry.event ?? "(not parsed)"} <span class="muted">{entry.resourceId ?? ""}</span>{" "}
          {entry.supplier && <span class="muted">from {entry.supplier}</span>}
        </h2>
        {replayTo !== undefined && (entry.body !== undefined || entry.bodyText !== undefined) && (
          <button type="button" onClick={replay} title={`POST its body to ${replayTo}`}>
            Replay
          </button>
        )}
      </div>
      <p class="status-line" role="status">
        {message}
      </p>
      <h3>Attempts</h3>
      {attempts.length === 0 ? (
        <p class="muted">No delivery key: this attempt only.</p>
      ) : (
        <ol class="timeline" aria-label="Attempts of this delivery">
          {attempts.map((a) => (
            <li key={a.id} class={a.outcome === "failed" || a.outcome === "refused" ? "bad" : "good"}>
              <span class="when">{offset(a.receivedAt)}</span>
              <span>
                {a.id === entry.id ? (
                  <strong>
                    Attempt {a.attempt ?? "?"}: {a.status ?? "—"} {a.outcome}
                  </strong>
                ) : (
                  <button type="button" class="link" onClick={() => onSelect(a.id)}>
                    Attempt {a.attempt ?? "?"}: {a.status ?? "—"} {a.outcome}
                  </button>
                )}{" "}
                <span class="muted">{a.source}</span>
              </span>
              <span class="muted">{timeOf(a.receivedAt)}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>Changes</h3>
      <ChangesFrom changes={changes} />
      <h3>Request</h3>
      <p>
        <span class="muted">Received</span> {entry.receivedAt} <span class="muted">as</span> {entry.source}
        {entry.deliveryKey && (
          <>
            {" "}
            <span class="muted">key</span>{" "}
            <code class="subject" title={entry.deliveryKey}>
              {entry.deliveryKey}
            </code>
          </>
        )}
      </p>
      <table class="headers">
        <caption class="visually-hidden">Request headers</caption>
        <tbody>
          {Object.entries(entry.headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Body</h4>
      <Body entry={entry} />
      <h3>Answer</h3>
      <p>
        <StatusBadge e={entry} /> <OutcomeBadge e={entry} /> after {entry.durationMs} ms
        {entry.error && (
          <>
            : <code>{entry.error.code}</code> {entry.error.message}
          </>
        )}
      </p>
      {entry.handlers.length === 0 ? (
        <p class="muted">No handler ran.</p>
      ) : (
        <table class="handlers">
          <caption class="visually-hidden">Handlers</caption>
          <thead>
            <tr>
              <th scope="col">Handler</th>
              <th scope="col">Event</th>
              <th scope="col">Result</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {entry.handlers.map((h) => (
              <tr key={h.index}>
                <td>#{h.index}</td>
                <td>{h.event}</td>
                <td>
                  <span class={`badge ${h.ok ? "good" : "bad"}`}>{h.ok ? "ok" : "failed"}</span>
                  {h.error && <> {h.error}</>}
                </td>
                <td>{h.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
