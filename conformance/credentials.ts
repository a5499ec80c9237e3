// The credentials sweep: every error path of an adapter, with a logger and an onError that keep
// everything. Configured passwords, header secrets and the Authorization values received (right or
// wrong) must appear in no answer (body or header), no onError message and no log line.
import {
  type AdapterOptions,
  createOctoWebhooks,
  type DeliveryStore,
  type Logger,
  type OctoLogFields,
  type OctoWebhooks,
} from "@octo-webhooks/core";
import { basic } from "@octo-webhooks/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Target } from "./app.ts";

const USERS = [
  { username: "octo", password: "sweep-pass-5c1e" },
  { username: "octo-next", password: "sweep-pass-rotated-0b7d" },
];
const KEYS = ["sweep-key-9a4f", "sweep-key-rotated-e2c8"];
const RESOLVED_PASSWORD = "sweep-resolved-pass-77aa";
const VALID = { authorization: basic(USERS[0]!.username, USERS[0]!.password), "x-api-key": KEYS[0]! };

/** Every text an Error carries: message, stack, causes. */
function errorText(error: unknown, depth = 0): string {
  if (depth > 4 || error === undefined || error === null) return "";
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${error.stack ?? ""} ${errorText(error.cause, depth + 1)}`;
}

const booking = (uuid: string) => JSON.stringify({ booking: { uuid, status: "CONFIRMED" } });

/** Options whose logger and onError keep everything in `kept`, and whose handler fails on request. */
function sweepOptions(kept: string[]): AdapterOptions<unknown> {
  // every line's fields too (OctoLogFields): what was thrown is `fields.error`
  const keep = (message: string, fields?: OctoLogFields) =>
    void kept.push(
      `${message} ${JSON.stringify({ ...fields, error: undefined })} ${errorText(fields?.error)}`,
    );
  const logger: Logger = { debug: keep, info: keep, warn: keep, error: keep };
  return {
    logger,
    onError: (error) => void kept.push(`onError: ${errorText(error)}`),
    onBookingUpdate: ({ booking }) => {
      if (booking.uuid === "throw") throw new Error("the booking system is down");
    },
  };
}

/** A store whose every call fails while `down` is set. */
function flakyStore(): DeliveryStore & { down: boolean } {
  const store = {
    down: false,
    claim: async () => {
      if (store.down) throw new Error("ECONNREFUSED 10.0.0.7:6379");
      return "claimed" as const;
    },
    complete: async () => {},
    release: async () => {},
    recordNewest: async () => undefined,
  };
  return store;
}

interface Sent {
  status: number;
  headers: string;
  body: string;
}

/** Runs the sweep against one framework (every transport; a stalled body too). */
export function testCredentials(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: credentials appear in no answer, onError message or log line`, () => {
    const sent = new Set<string>();
    const apps: Target[] = [];
    const kept: string[] = [];
    const store = flakyStore();
    let ackFirst: OctoWebhooks | undefined;
    let targets: { static: Target; resolver: Target; ackFirst: Target } | undefined;

    beforeAll(async () => {
      const start = async (options: AdapterOptions<unknown>) => {
        const target = await framework.start({
          options: { ...options, path: PATH },
          parser: "none",
          mount: "app",
        });
        apps.push(target);
        return target;
      };
      ackFirst = createOctoWebhooks({ ...sweepOptions(kept), ackFirst: true, auth: { basic: USERS } });
      targets = {
        static: await start({
          ...sweepOptions(kept),
          auth: { basic: USERS, header: { name: "x-api-key", value: KEYS } },
          maxBodyBytes: 1024,
          bodyTimeoutMs: 300,
          dedupe: true,
          store,
        }),
        // a resolver that returns a configuration core refuses (a ":" in the username)
        resolver: await start({
          ...sweepOptions(kept),
          auth: () => ({ basic: { username: "octo:ops", password: RESOLVED_PASSWORD } }),
        }),
        ackFirst: await start({ webhooks: ackFirst }),
      };
    });
    afterAll(async () => {
      for (const target of apps) await target.close();
    });

    const send = async (
      target: keyof NonNullable<typeof targets>,
      init: RequestInit & { headers?: Record<string, string> },
    ): Promise<Sent> => {
      for (const [name, value] of Object.entries(init.headers ?? {})) {
        if (name !== "authorization" && name !== "x-api-key") continue;
        sent.add(value);
        const encoded = /^basic (.+)$/i.exec(value)?.[1];
        if (encoded !== undefined) {
          sent.add(encoded);
          try {
            const decoded = atob(encoded);
            sent.add(decoded.slice(decoded.indexOf(":") + 1));
          } catch {} // not base64: the value itself is what must not leak
        }
      }
      const response = await (targets as NonNullable<typeof targets>)[target].fetch(PATH, {
        method: "POST",
        signal: AbortSignal.timeout(10_000),
        ...init,
        headers: { "content-type": "application/json", ...init.headers },
      });
      return {
        status: response.status,
        headers: [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n"),
        body: await response.text(),
      };
    };

    const secrets = () => [
      ...USERS.map((u) => u.password),
      ...KEYS,
      RESOLVED_PASSWORD,
      ...[...sent].filter((value) => value.length >= 6),
    ];
    const expectNoSecret = (answers: Sent[]) => {
      const everything = [...answers.flatMap((a) => [a.headers, a.body]), ...kept].join("\n");
      for (const secret of secrets())
        expect(everything, `a credential leaked: ${secret}`).not.toContain(secret);
    };

    it("401 for missing, wrong and half-right credentials", async () => {
      const answers = await Promise.all(
        [
          {},
          { authorization: basic("octo", "guessed-pass-3141") },
          { authorization: VALID.authorization, "x-api-key": "guessed-key-2718" },
          { authorization: basic("octo", USERS[1]!.password), "x-api-key": KEYS[1]! },
          { authorization: `Bearer ${KEYS[0]}-guessed` },
          { authorization: "Basic bm90IGJhc2U2NA==garbage" },
        ].map((headers) => send("static", { headers, body: booking("b-1") })),
      );
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expectNoSecret(answers);
    });

    it("400, 405, 413, 415 and 408 with valid credentials", async () => {
      const stalls = framework.parsers.none.readsBodyFirst !== true;
      const stalled = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"booking":'));
        },
      });
      const answers = [
        await send("static", { headers: VALID, body: '{"booking": ' }),
        await send("static", { headers: VALID, method: "GET" }),
        await send("static", { headers: VALID, body: booking("x".repeat(2048)) }),
        await send("static", { headers: { ...VALID, "content-type": "text/plain" }, body: booking("b-2") }),
        // behind a front door that reads the whole body before the adapter runs (Lambda), a stalled
        // body never reaches it
        ...(stalls
          ? [
              await send("static", { headers: VALID, body: stalled, duplex: "half" } as RequestInit & {
                headers: Record<string, string>;
              }),
            ]
          : []),
      ];
      expect(answers.map((a) => a.status)).toEqual([400, 405, 413, 415, ...(stalls ? [408] : [])]);
      expectNoSecret(answers);
    });

    it("500 from a handler, 500 from a resolver that returns a refused configuration, 503 from a failing store", async () => {
      const handler = await send("static", { headers: VALID, body: booking("throw") });
      const resolver = await send("resolver", {
        headers: { authorization: basic("octo:ops", RESOLVED_PASSWORD) },
        body: booking("b-3"),
      });
      store.down = true;
      const storeDown = await send("static", { headers: VALID, body: booking("b-4") }).finally(() => {
        store.down = false;
      });
      expect([handler.status, resolver.status, storeDown.status]).toEqual([500, 500, 503]);
      expect(kept.join("\n")).toMatch(/ECONNREFUSED/); // the store's own error is logged...
      expectNoSecret([handler, resolver, storeDown]); // ...and no credential with it
    });

    it("an ack-first delivery whose handler fails after the answer", async () => {
      const answer = await send("ackFirst", { headers: VALID, body: booking("throw") });
      expect(answer.status).toBe(200);
      await ackFirst?.drain();
      expect(kept.join("\n")).toMatch(/the booking system is down/);
      expectNoSecret([answer]);
    });
  });
}
