import { useEffect, useState } from "preact/hooks";
import { api, type Kind } from "./api.ts";

// The Send view: a kind of event (the rows of the server's SEND_KINDS), its body from the factories of
// @octo-webhooks/testing, editable, sent to every webhook registered for its event.

/** The Send view. */
export function Send({ kinds }: { kinds: Kind[] }) {
  const [kind, setKind] = useState(kinds[0]?.id ?? "");
  const [seed, setSeed] = useState("booking-1");
  const [text, setText] = useState("");
  const [message, setMessage] = useState("");
  const [invalid, setInvalid] = useState(false);
  const event = kinds.find((k) => k.id === kind)?.event ?? "";

  const load = () => {
    const query = new URLSearchParams({ kind, seed });
    api<{ body: unknown }>(`/api/body?${query}`).then(
      (answer) => {
        setText(JSON.stringify(answer.body, null, 2));
        setInvalid(false);
      },
      (error: Error) => setMessage(error.message),
    );
  };
  useEffect(load, [kind, seed]);

  const submit = (e: Event) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text);
      setInvalid(false);
    } catch (error) {
      setInvalid(true);
      setMessage(`The body is not valid JSON: ${(error as Error).message}`);
      return;
    }
    setMessage("Sending…");
    api<{ deliveries: string[] }>("/api/send", { method: "POST", body: { kind, body } }).then(
      (answer) => setMessage(`Sent: ${answer.deliveries.join(", ")}. See them under Deliveries.`),
      (error: Error) => setMessage(`Not sent: ${error.message}`),
    );
  };

  return (
    <section aria-labelledby="send-title" class="send">
      <h1 id="send-title">Send</h1>
      <p class="muted">
        Built with the factories of <code>@octo-webhooks/testing</code>; the same seed is the same booking.
        The supplier adds each subscription's <code>webhook</code> echo.
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Event</legend>
          {kinds.map((k) => (
            <label key={k.id} class="radio">
              <input
                type="radio"
                name="kind"
                value={k.id}
                checked={k.id === kind}
                onChange={() => setKind(k.id)}
              />
              {k.label} <span class="muted">{k.event}</span>
            </label>
          ))}
        </fieldset>
        <div class="row">
          <label>
            Seed (booking, product and slot)
            <input value={seed} onChange={(e) => setSeed(e.currentTarget.value)} />
          </label>
          <button type="button" class="secondary" onClick={load}>
            Reset the body
          </button>
        </div>
        <label for="body" class="block">
          Body of the <code>{event}</code> (JSON, editable)
        </label>
        <textarea
          id="body"
          rows={22}
          spellcheck={false}
          aria-invalid={invalid}
          aria-describedby="send-status"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <div class="row">
          <button type="submit">Send</button>
          <p id="send-status" role="status" class="status-line">
            {message}
          </p>
        </div>
      </form>
    </section>
  );
}
