// One fuzz run against one app: sends generated requests over its real transport and checks every
// answer, every handler call, every onError call and every log line.

import { type FrameworkUnderTest, PATH, type Target } from "@octo-webhooks/conformance";
import {
  type AdapterOptions,
  createOctoWebhooks,
  type HandlerContext,
  type OctoErrorCode,
  type OctoLogFields,
  STATUS_BY_CODE,
} from "@octo-webhooks/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFixtures } from "../fixtures/index.ts";
import { type FuzzRequest, fuzzRequest } from "./arbitraries.ts";
import { FUZZ_RUNS, FUZZ_SEED, PASS, REQUEST_TIMEOUT_MS, USER, VALID_AUTHORIZATION } from "./settings.ts";

/** Statuses our receiver may answer a stranger with this configuration (auth on, no handler throws). */
export const OUR_STATUSES: ReadonlySet<number> = new Set([200, 400, 401, 405, 413, 415]);

/** One app to fuzz: an adapter (or the Web entry) with a body parser in front or not. */
export interface FuzzTarget {
  name: string;
  /** Statuses the body parser in front answers by itself (see `ParserTraits.ownStatuses`). */
  parserStatuses: readonly number[];
  /** Options beside the probe's (auth, handlers, logger). */
  options?: AdapterOptions<unknown>;
  /** Leave out Content-Encoding headers (see `ParserTraits.stallsOnBadContentCoding`). */
  noContentCodings?: boolean;
  start(options: AdapterOptions<unknown>): Promise<Target>;
}

/** The Web entry, `createOctoWebhooks(options).fetch`, as a target. */
export const webTarget: FuzzTarget = {
  name: "web (fetch)",
  parserStatuses: [],
  start: async (options) => {
    const { path: _path, ...rest } = options;
    const webhooks = createOctoWebhooks(rest);
    return {
      fetch: (path, init) => webhooks.fetch(new Request(new URL(path, "https://receiver.test"), init)),
      close: async () => {},
    };
  },
};

/** The Web entry with duplicate suppression and the stale-update guard on (the memory store). */
export const webDeliveryTarget: FuzzTarget = {
  ...webTarget,
  name: "web (fetch), dedupe + staleGuard",
  options: { dedupe: true, staleGuard: true },
};

/**
 * A framework mounted app-wide, with nothing in front and with each parser its definition marks
 * `common` (or with every parser it has: `"all"`).
 */
export function targetsOf(framework: FrameworkUnderTest, parsers: "common" | "all" = "common"): FuzzTarget[] {
  return Object.entries(framework.parsers)
    .filter(([name, traits]) => parsers === "all" || name === "none" || traits.common === true)
    .map(([parser, traits]) => ({
      name: parser === "none" ? framework.name : `${framework.name} + ${parser}`,
      parserStatuses: traits.ownStatuses ?? [],
      noContentCodings: traits.stallsOnBadContentCoding === true,
      start: (options) => framework.start({ options: { ...options, path: PATH }, parser, mount: "app" }),
    }));
}

/** Fails with `what` when `promise` takes longer than {@link REQUEST_TIMEOUT_MS}: a hang. */
export function withinTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hang: ${what} took over ${REQUEST_TIMEOUT_MS} ms`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Everything an Error carries that may end up in a log: message, stack, causes. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(e.message, e.stack ?? "");
      if (e instanceof AggregateError) parts.push(...e.errors.map(errorText));
      e = e.cause;
    } else {
      try {
        parts.push(typeof e === "object" ? JSON.stringify(e) : String(e));
      } catch {
        parts.push(String(e));
      }
      break;
    }
  }
  return parts.join(" ");
}

/** Whether a received header value is distinctive enough to look for (a space or "Basic" is everywhere). */
const distinctive = (value: string | undefined): value is string =>
  value !== undefined && value.trim().length >= 10 && /[A-Za-z0-9]/.test(value) && new Set(value).size > 3;

/**
 * A receiver's options whose handlers, `onError` and logger record what they saw during one request,
 * and report every line or message that contains a credential.
 */
export function createProbe() {
  let calls: string[] = [];
  let errors: OctoErrorCode[] = [];
  let last: { payload: unknown; context: HandlerContext } | undefined;
  let secrets: string[] = [];
  const violations: string[] = [];
  const scan = (where: string, text: string) => {
    for (const secret of [PASS, VALID_AUTHORIZATION.slice(6), ...secrets]) {
      if (text.includes(secret)) violations.push(`${where} contains a credential: ${text.slice(0, 300)}`);
    }
  };
  const log =
    (level: string) =>
    (message: string, fields?: OctoLogFields): void =>
      scan(
        `a logger.${level} line`,
        `${message} ${JSON.stringify({ ...fields, error: undefined })} ${errorText(fields?.error)}`,
      );
  const options: AdapterOptions<unknown> = {
    auth: { basic: { username: USER, password: PASS } },
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    onBookingUpdate: () => void calls.push("booking_update"),
    onAvailabilityUpdate: () => void calls.push("availability_update"),
    onOrderUpdate: () => void calls.push("order_update"),
    onProductUpdate: () => void calls.push("product_update"),
    onUnknownEvent: () => void calls.push("unknown"),
    onAny: (payload, context) => {
      calls.push("any");
      last = { payload, context };
    },
    onDuplicate: () => void calls.push("duplicate"),
    onStale: () => void calls.push("stale"),
    onError: (error) => {
      errors.push(error.code);
      scan("an onError message", errorText(error));
    },
  };
  return {
    options,
    violations,
    scan,
    /** Starts recording one request; `authorization` is what it sends. */
    begin(authorization: string | undefined) {
      calls = [];
      errors = [];
      last = undefined;
      secrets = distinctive(authorization) ? [authorization] : [];
    },
    /** What the request in flight caused. */
    seen: () => ({ calls, errors, last }),
  };
}

export type Probe = ReturnType<typeof createProbe>;

/**
 * Compares two JSON values without recursion (bodies nest 20,000 deep): the same own keys, the same
 * prototypes (`Object.prototype`, `Array.prototype`), the same primitives. Returns the first difference.
 */
export function jsonDifference(
  actual: unknown,
  expected: unknown,
  ignoreTopLevel: string[] = [],
): string | undefined {
  const stack: Array<[unknown, unknown, string]> = [[actual, expected, "$"]];
  while (stack.length > 0) {
    const [a, e, path] = stack.pop() as [unknown, unknown, string];
    if (e === null || typeof e !== "object") {
      if (!Object.is(a, e)) return `${path}: ${String(a)} instead of ${String(e)}`;
      continue;
    }
    if (a === null || typeof a !== "object") return `${path}: ${String(a)} instead of an object`;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) return `${path}: another prototype`;
    const keys = Reflect.ownKeys(e).filter((k) => path !== "$" || !ignoreTopLevel.includes(String(k)));
    const actualKeys = Reflect.ownKeys(a).filter((k) => path !== "$" || !ignoreTopLevel.includes(String(k)));
    if (keys.length !== actualKeys.length || keys.some((k, i) => k !== actualKeys[i]))
      return `${path}: keys ${actualKeys.map(String).join(",").slice(0, 200)} instead of ${keys.map(String).join(",").slice(0, 200)}`;
    // biome-ignore lint/suspicious/noExplicitAny: walking a JSON value
    for (const k of keys) stack.push([(a as any)[k], (e as any)[k], `${path}.${String(k)}`]);
    // inherited enumerable keys would show in `for...in`, which handlers use
    for (const k in a) if (!Object.hasOwn(a, k)) return `${path}: inherits an enumerable ${k}`;
  }
  return undefined;
}

/** The JSON text of a body, when it is UTF-8 and declared as such (or not declared): what handlers must get. */
function sentJson(request: FuzzRequest): unknown {
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (/charset=(?!"?utf-8"?(;|$))/.test(type) || request.headers["content-encoding"] !== undefined)
    return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(request.body));
  } catch {
    return undefined;
  }
}

interface OurAnswer {
  ok: boolean;
  duplicate?: true;
  stale?: true;
  unchanged?: true;
  error?: { code: OctoErrorCode; message: string };
}

/** Our JSON answer (`{ ok, error? }`), or `undefined` for an answer that is not ours (a parser's). */
function ourAnswer(text: string): OurAnswer | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && typeof value.ok === "boolean" ? value : undefined;
  } catch {
    return undefined;
  }
}

const PROTOTYPES = { Object, Array, Function, String, Number, Boolean, Promise, Error };
const snapshot = (prototype: object) =>
  new Map(Reflect.ownKeys(prototype).map((k) => [k, Object.getOwnPropertyDescriptor(prototype, k)]));
const PRISTINE = new Map(
  Object.values(PROTOTYPES).map((c) => [c.prototype as object, snapshot(c.prototype)]),
);

/**
 * How a built-in prototype differs from when this module loaded (a key added, removed or replaced), or
 * `undefined`: the servers run in this process, so a polluted body would show here.
 */
export function prototypeChange(): string | undefined {
  for (const [prototype, before] of PRISTINE) {
    const now = snapshot(prototype);
    const name = (prototype as { constructor?: { name?: string } }).constructor?.name ?? "?";
    for (const [key, descriptor] of now) {
      const old = before.get(key);
      if (
        old === undefined ||
        old.value !== descriptor?.value ||
        old.get !== descriptor?.get ||
        old.set !== descriptor?.set
      )
        return `${name}.prototype.${String(key)} was added or replaced`;
    }
    if (now.size !== before.size) return `a key of ${name}.prototype was removed`;
  }
  const probe = {} as Record<string, unknown>;
  if ("polluted" in probe || "isAdmin" in probe) return "a plain object inherits a polluted key";
  return undefined;
}

/** Checks one answer against everything the request caused; throws (with the reason) on the first problem. */
export function checkAnswer(
  target: FuzzTarget,
  request: FuzzRequest,
  response: { status: number; headers: Headers; text: string },
  probe: Probe,
): void {
  const { status, headers, text } = response;
  const { calls, errors, last } = probe.seen();
  const fail = (reason: string): never => {
    throw new Error(`${target.name}: ${reason}\n  answer: ${status} ${text.slice(0, 300)}`);
  };
  const polluted = prototypeChange();
  if (polluted !== undefined) fail(polluted);
  probe.scan("the answer", text);
  for (const [name, value] of headers) probe.scan(`the answer's ${name} header`, value);
  if (probe.violations.length > 0) fail(probe.violations.join("\n"));

  const ours = ourAnswer(text);
  if (ours === undefined) {
    // the parser in front answered: our middleware never ran
    if (!target.parserStatuses.includes(status)) fail(`an undocumented status or an answer that is not ours`);
    if (calls.length > 0 || errors.length > 0)
      fail(`the parser answered ${status} but handlers ran: ${calls}`);
    return;
  }
  if (!OUR_STATUSES.has(status)) fail(`an undocumented status`);
  if (!/^application\/json/.test(headers.get("content-type") ?? "")) fail("our answer is not typed JSON");
  if (status === 200) {
    if (!ours.ok) fail("200 without ok: true");
    if (errors.length > 0) fail(`200, yet onError saw ${errors}`);
    if (ours.duplicate || ours.stale) {
      const hook = ours.duplicate ? "duplicate" : "stale";
      if (calls.length !== 1 || calls[0] !== hook) fail(`a ${hook} answer, yet ${JSON.stringify(calls)} ran`);
      return;
    }
    if (ours.unchanged) {
      // the same utcUpdatedAt and content as the state last applied: no handler and no hook runs
      if (calls.length > 0) fail(`an unchanged answer, yet ${JSON.stringify(calls)} ran`);
      return;
    }
    const [event, any, ...more] = calls;
    if (
      any !== "any" ||
      more.length > 0 ||
      !["booking_update", "availability_update", "order_update", "product_update", "unknown"].includes(
        event ?? "",
      ) ||
      last === undefined ||
      (event !== "unknown" && event !== last.context.event)
    ) {
      fail(`200, yet the handlers ran as ${JSON.stringify(calls)} (event ${last?.context.event})`);
    }
    const sent = sentJson(request);
    if (sent !== undefined && last !== undefined) {
      // availability_update gets productId and optionId at the top level, from wherever they were sent
      const ignore = last.context.event === "availability_update" ? ["productId", "optionId"] : [];
      const difference = jsonDifference(last.payload, sent, ignore);
      if (difference !== undefined) fail(`the handler did not get what was sent: ${difference}`);
    }
    return;
  }
  const code = ours.error?.code;
  if (ours.ok || code === undefined || STATUS_BY_CODE[code] !== status) fail(`an error without its code`);
  if (!ours.error?.message.startsWith("[@octo-webhooks/core] ")) fail("an error message that is not ours");
  if (calls.length > 0) fail(`refused with ${status}, yet handlers ran: ${calls}`);
  if (errors.length !== 1 || errors[0] !== code) fail(`refused with ${code}, yet onError saw ${errors}`);
  if (status === 401 && !/^Basic realm="/.test(headers.get("www-authenticate") ?? ""))
    fail("401 without a challenge");
  if (status === 405 && headers.get("allow") !== "POST") fail("405 without Allow: POST");
  if (status === 413 && headers.get("connection") !== "close" && headers.get("connection") !== null)
    fail("413 that keeps the connection");
}

/** Unhandled rejections and uncaught exceptions of this process (the servers run in it) while fuzzing. */
export function watchProcess(): string[] {
  const seen: string[] = [];
  const rejection = (reason: unknown) => void seen.push(`unhandled rejection: ${errorText(reason)}`);
  const exception = (error: unknown) => void seen.push(`uncaught exception: ${errorText(error)}`);
  beforeAll(() => {
    process.on("unhandledRejection", rejection);
    process.on("uncaughtException", exception);
  });
  afterAll(() => {
    process.off("unhandledRejection", rejection);
    process.off("uncaughtException", exception);
  });
  return seen;
}

const seed = seedFixtures()[0]!;

/** Sends one generated request to `target` and returns what came back, failing on a hang. */
async function send(app: Target, target: FuzzTarget, request: FuzzRequest) {
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  };
  if (request.method !== "GET") init.body = request.body;
  const response = await withinTimeout(app.fetch(PATH, init), `${target.name}: the answer`);
  const text = await withinTimeout(response.text(), `${target.name}: the answer's body`);
  return { status: response.status, headers: response.headers, text };
}

/**
 * The fuzz test of one target: {@link FUZZ_RUNS} generated requests, each answered in time with a
 * documented status and exactly the handler calls (or the one `onError` call) it deserves, no
 * credential anywhere, nothing thrown at the process; then a valid delivery still gets 200.
 */
export function fuzz(
  target: FuzzTarget,
  {
    requests = fuzzRequest(VALID_AUTHORIZATION, { contentCodings: target.noContentCodings !== true }),
    runs = FUZZ_RUNS,
    what = "generated requests",
  } = {},
): void {
  describe(target.name, () => {
    const processErrors = watchProcess();
    const probe = createProbe();
    let app: Target | undefined;
    beforeAll(async () => {
      app = await target.start({ ...probe.options, ...target.options });
    });
    afterAll(async () => {
      await app?.close();
    });

    it(`answers ${runs} ${what} with documented statuses, leaks nothing and keeps serving`, async () => {
      const running = app as Target;
      const statuses = new Map<string, number>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          probe.begin(request.authorization);
          const response = await send(running, target, request);
          const skipped = /^\{"ok":true,"(duplicate|stale|unchanged)"/.exec(response.text)?.[1];
          const key = skipped ? `${response.status} ${skipped}` : String(response.status);
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          checkAnswer(target, request, response, probe);
          if (processErrors.length > 0) throw new Error(processErrors.join("\n"));
        }),
        { numRuns: runs, seed: FUZZ_SEED },
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const histogram = [...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`);
      console.log(`${target.name}: ${runs} ${what} in ${seconds} s (${histogram.join(" ")})`);
      expect(statuses.get("200")).toBeGreaterThan(0);

      probe.begin(VALID_AUTHORIZATION);
      const after = await running.fetch(PATH, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: VALID_AUTHORIZATION },
        // a booking not delivered before, so that neither dedupe nor the stale guard holds it back
        body: JSON.stringify({
          ...seed.body,
          booking: { ...(seed.body.booking as object), uuid: "after-fuzz" },
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      expect(after.status).toBe(200);
      expect(probe.seen().calls).toEqual(["booking_update", "any"]);
      expect(processErrors).toEqual([]);
    });
  });
}
