import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type DeliveryView, type State } from "./api.ts";
import { Deliveries } from "./deliveries.tsx";
import { LogApp } from "./log-app.tsx";
import { Send } from "./send.tsx";
import { Subscriptions } from "./subscriptions.tsx";
import "./style.css";

// The inspector's page: three views (Deliveries, Send, Subscriptions) chosen by the URL's hash, the
// deliveries kept up to date by the server's event stream; or, for `inspect`, the delivery log's view.

const VIEWS = [
  { id: "deliveries", label: "Deliveries" },
  { id: "send", label: "Send" },
  { id: "subscriptions", label: "Subscriptions" },
] as const;
type ViewId = (typeof VIEWS)[number]["id"];

const viewOf = (hash: string): ViewId =>
  VIEWS.find((v) => `#${v.id}` === hash.split("/")[0])?.id ?? "deliveries";

/** Every delivery by id, newest first, live. */
function useDeliveries(): [DeliveryView[], boolean] {
  const [byId, setById] = useState<Map<string, DeliveryView>>(new Map());
  const [live, setLive] = useState(false);
  useEffect(() => {
    const merge = (list: DeliveryView[]) =>
      setById((current) => {
        const next = new Map(current);
        for (const d of list) next.set(d.id, d);
        return next;
      });
    const stream = new EventSource("/api/stream");
    stream.addEventListener("open", () => {
      setLive(true);
      // after (re)connecting: what happened meanwhile
      api<DeliveryView[]>("/api/deliveries").then(merge, () => {});
    });
    stream.addEventListener("error", () => setLive(false));
    stream.addEventListener("delivery", (event) => merge([JSON.parse((event as MessageEvent).data)]));
    return () => stream.close();
  }, []);
  return [[...byId.values()].sort((a, b) => b.seq - a.seq), live];
}

function App() {
  const [view, setView] = useState<ViewId>(viewOf(location.hash));
  const [state, setState] = useState<State | undefined>();
  const [deliveries, live] = useDeliveries();
  useEffect(() => {
    const onHash = () => setView(viewOf(location.hash));
    addEventListener("hashchange", onHash);
    api<State>("/api/state").then(setState, () => {});
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    document.title = `${VIEWS.find((v) => v.id === view)?.label} · octo-webhooks inspector`;
  }, [view]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <strong>octo-webhooks</strong> inspector
        </div>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a href={`#${v.id}`} aria-current={view === v.id ? "page" : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="endpoint">
          <span class={`dot ${live ? "on" : "off"}`} aria-hidden="true" />
          <span class="visually-hidden">{live ? "Live" : "Disconnected"}: </span>
          {state && state.suppliers.length > 1 ? (
            state.suppliers.map((s) => (
              <span key={s.id} class="supplier-endpoint">
                {s.id} <code>{s.url}</code> key <code>{s.apiKey}</code>{" "}
              </span>
            ))
          ) : (
            <>
              OCTO endpoint <code>{state?.supplierUrl ?? "…"}</code>
              {state ? (
                <>
                  {" "}
                  key <code>{state.apiKey}</code>
                </>
              ) : null}
            </>
          )}
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        {view === "deliveries" && (
          <Deliveries deliveries={deliveries} many={(state?.suppliers.length ?? 1) > 1} />
        )}
        {view === "send" && state && <Send kinds={state.kinds} />}
        {view === "subscriptions" && state && (
          <Subscriptions kinds={state.kinds} suppliers={state.suppliers.map((s) => s.id)} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  // `inspect` serves the same page over a delivery log
  render(root.dataset.mode === "log" ? <LogApp /> : <App />, root);
}
