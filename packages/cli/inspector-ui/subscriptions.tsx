import { useEffect, useState } from "preact/hooks";
import { api, type Kind, type Subscription } from "./api.ts";

// The Subscriptions view: the webhooks registered with the supplier, read and changed through its
// management API; credentials and header values masked by the server.

/** The Subscriptions view. */
export function Subscriptions({ kinds, suppliers }: { kinds: Kind[]; suppliers: string[] }) {
  const events = [...new Set(kinds.map((k) => k.event))];
  const many = suppliers.length > 1;
  const [list, setList] = useState<Subscription[] | undefined>();
  const [message, setMessage] = useState("");
  const [form, setForm] = useState({
    supplier: suppliers[0] ?? "",
    event: events[0] ?? "",
    url: "",
    username: "",
    password: "",
    headerName: "",
    headerValue: "",
    retryOnError: true,
  });
  const refresh = () =>
    api<Subscription[]>("/api/subscriptions").then(setList, (error: Error) => setMessage(error.message));
  useEffect(() => void refresh(), []);
  const field = (name: keyof typeof form) => (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    setForm({ ...form, [name]: input.type === "checkbox" ? input.checked : input.value });
  };

  const create = (e: Event) => {
    e.preventDefault();
    api<Subscription>("/api/subscriptions", { method: "POST", body: form }).then(
      (created) => {
        setMessage(`Created ${created.event} → ${created.url}${many ? ` at ${created.supplier}` : ""}`);
        setForm({ ...form, url: "", username: "", password: "", headerName: "", headerValue: "" });
        void refresh();
      },
      (error: Error) => setMessage(`Not created: ${error.message}`),
    );
  };
  // a supplier that answered without an id leaves nothing to delete by: the button is disabled
  const remove = (s: Subscription & { id: string }) =>
    api(`/api/subscriptions/${encodeURIComponent(s.id)}`, { method: "DELETE" }).then(
      () => {
        setMessage(`Deleted ${s.event} → ${s.url}`);
        void refresh();
      },
      (error: Error) => setMessage(`Not deleted: ${error.message}`),
    );

  return (
    <section aria-labelledby="subscriptions-title" class="subscriptions">
      <h1 id="subscriptions-title">Subscriptions</h1>
      <p class="muted">
        As a client sees them: <code>GET /webhooks</code> of the supplier.
      </p>
      {list === undefined ? (
        <p>Loading…</p>
      ) : list.length === 0 ? (
        <p class="empty">No webhook is registered: nothing will be delivered. Add one below.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Registered webhooks</caption>
          <thead>
            <tr>
              {many && <th scope="col">Supplier</th>}
              <th scope="col">Event</th>
              <th scope="col">URL</th>
              <th scope="col">Headers</th>
              <th scope="col">Retries</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s, index) => (
              <tr key={s.id ?? `no-id-${index}`}>
                {many && <td>{s.supplier}</td>}
                <td>{s.event}</td>
                <td>
                  <code>{s.url}</code>
                </td>
                <td>
                  {Object.entries(s.headers).map(([name, value]) => (
                    <code key={name}>
                      {name}: {value}{" "}
                    </code>
                  ))}
                </td>
                <td>{s.retryOnError === false ? "off" : "on"}</td>
                <td>
                  <button
                    type="button"
                    class="danger"
                    disabled={s.id === undefined}
                    title={s.id === undefined ? "the supplier gave this webhook no id" : undefined}
                    onClick={() => {
                      const { id } = s;
                      if (id !== undefined) void remove({ ...s, id });
                    }}
                  >
                    Delete
                    <span class="visually-hidden">
                      {" "}
                      the {s.event} webhook to {s.url}
                    </span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status" class="status-line">
        {message}
      </p>
      <form onSubmit={create} class="create">
        <h2>Add a webhook</h2>
        <div class="grid">
          {many && (
            <label>
              Supplier
              <select value={form.supplier} onChange={field("supplier")}>
                {suppliers.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Event
            <select value={form.event} onChange={field("event")}>
              {events.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label class="wide">
            URL
            <input
              type="url"
              required
              placeholder="http://127.0.0.1:3000/webhooks/octo"
              value={form.url}
              onInput={field("url")}
            />
          </label>
          <label>
            Basic username
            <input autocomplete="off" value={form.username} onInput={field("username")} />
          </label>
          <label>
            Basic password
            <input type="password" autocomplete="off" value={form.password} onInput={field("password")} />
          </label>
          <label>
            Header name
            <input placeholder="x-api-key" value={form.headerName} onInput={field("headerName")} />
          </label>
          <label>
            Header value
            <input
              type="password"
              autocomplete="off"
              value={form.headerValue}
              onInput={field("headerValue")}
            />
          </label>
          <label class="check">
            <input type="checkbox" checked={form.retryOnError} onChange={field("retryOnError")} />
            Retry failed deliveries
          </label>
        </div>
        <button type="submit">Add</button>
      </form>
    </section>
  );
}
