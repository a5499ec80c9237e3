import { readFileSync } from "node:fs";
import { testFramework } from "@octo-webhooks/conformance";
import { lambdaContext, lambdaFrameworks } from "@octo-webhooks/conformance/frameworks/lambda";
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  type HandlerContext,
  type OctoLambdaEvent,
  type OctoLambdaResult,
  OctoWebhooksError,
  octoWebhooksHandler,
} from "../src/index.ts";

for (const framework of lambdaFrameworks) testFramework(framework);

/** A recorded event of each source (test/events/*.json, in the formats AWS documents), a fresh copy. */
function recorded<T extends OctoLambdaEvent>(name: string): T {
  return JSON.parse(readFileSync(new URL(`events/${name}.json`, import.meta.url), "utf8")) as T;
}

/** A receiver with Basic auth (octo:s3cret, as in the recorded events) that keeps what its handlers saw. */
function receiver(path = "/webhooks/octo") {
  const seen: { id: string; context: HandlerContext }[] = [];
  const handler = octoWebhooksHandler({
    path,
    logger: {},
    auth: { basic: { username: "octo", password: "s3cret" } },
    onBookingUpdate: ({ booking }, context) =>
      void seen.push({ id: `${booking.uuid} ${booking.status}`, context }),
    onAvailabilityUpdate: ({ availability, productId }, context) =>
      void seen.push({ id: `${productId} ${availability.status}`, context }),
  });
  return { handler, seen };
}

describe("recorded events of each source", () => {
  it("API Gateway v1 event with isBase64Encoded: true: decoded, handled, answered in the v1 shape", async () => {
    const { handler, seen } = receiver();
    const event = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    expect(event.isBase64Encoded).toBe(true);
    const result = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      multiValueHeaders: {
        "content-type": ["application/json; charset=utf-8"],
      },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(seen.map((s) => s.id)).toEqual(["b-base64 CONFIRMED"]);
    // the exact text, multi-byte characters intact; repeated headers from multiValueHeaders, comma-joined
    expect(seen[0]?.context.rawBody).toBe(
      '{"booking":{"uuid":"b-base64","status":"CONFIRMED","notes":"Zürich, 3 € tip"}}',
    );
    expect(seen[0]?.context.headers.get("x-octo-trace")).toBe("first, second");
    expect(seen[0]?.context.headers.get("AUTHORIZATION")).toBe("Basic b2N0bzpzM2NyZXQ=");
  });

  it("v2 event with cookies and comma-joined headers (HTTP API on a named stage): handled, answered in the v2 shape", async () => {
    const { handler, seen } = receiver();
    const event = recorded<APIGatewayProxyEventV2>("api-gateway-v2");
    expect(event.rawPath).toBe("/live/webhooks/octo");
    const result = (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(seen.map((s) => s.id)).toEqual(["b-v2 CONFIRMED"]);
    expect(seen[0]?.context.headers.get("cookie")).toBe("session=abc123; theme=dark");
    expect(seen[0]?.context.headers.get("x-octo-trace")).toBe("first,second");
  });

  it("Function URL event: handled, answered in the v2 shape", async () => {
    const { handler, seen } = receiver();
    const result = (await handler(
      recorded("function-url"),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect([result.statusCode, result.body, "multiValueHeaders" in result]).toEqual([
      200,
      '{"ok":true}',
      false,
    ]);
    expect(seen.map((s) => s.id)).toEqual(["p-1 SOLD_OUT"]);
  });

  it('ALB event: answered with statusDescription "200 OK" and single-value headers', async () => {
    const { handler, seen } = receiver();
    const result = (await handler(recorded("alb"), lambdaContext())) as ALBResult;
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: "200 OK",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(seen.map((s) => s.id)).toEqual(["b-alb CANCELLED"]);
  });

  it("ALB event in multi-value headers mode, base64 body: answered with multiValueHeaders only", async () => {
    const { handler, seen } = receiver();
    const result = (await handler(recorded("alb-multi-value"), lambdaContext())) as ALBResult;
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: "200 OK",
      multiValueHeaders: {
        "content-type": ["application/json; charset=utf-8"],
      },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    expect(seen.map((s) => s.id)).toEqual(["b-alb-mv CONFIRMED"]);
    expect(seen[0]?.context.headers.get("x-octo-trace")).toBe("first, second");
  });

  it("repeated headers of v1 and ALB multi-value events: comma-joined, Cookie joined with '; ', any case", async () => {
    const { handler, seen } = receiver();
    const v1 = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    v1.headers.Cookie = "b=2";
    v1.multiValueHeaders.Cookie = ["a=1", "b=2"];
    v1.multiValueHeaders["x-octo-trace"] = ["third"];
    expect(((await handler(v1, lambdaContext())) as APIGatewayProxyResult).statusCode).toBe(200);
    expect(seen[0]?.context.headers.get("cookie")).toBe("a=1; b=2");
    expect(seen[0]?.context.headers.get("X-Octo-Trace")).toBe("first, second, third");
  });

  it("core's decisions reach each shape: 401 with WWW-Authenticate, 405 with Allow, ALB's statusDescription", async () => {
    const { handler, seen } = receiver();
    const v1 = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    v1.headers.Authorization = "Basic d3Jvbmc6d3Jvbmc=";
    v1.multiValueHeaders.Authorization = ["Basic d3Jvbmc6d3Jvbmc="];
    const refused = (await handler(v1, lambdaContext())) as APIGatewayProxyResult;
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.["www-authenticate"]).toMatch(/^Basic realm="/);
    expect(refused.multiValueHeaders?.["www-authenticate"]).toEqual([refused.headers?.["www-authenticate"]]);
    const alb = recorded<ALBEvent>("alb");
    alb.httpMethod = "GET";
    const wrongMethod = (await handler(alb, lambdaContext())) as ALBResult;
    expect([wrongMethod.statusCode, wrongMethod.statusDescription, wrongMethod.headers?.allow]).toEqual([
      405,
      "405 Method Not Allowed",
      "POST",
    ]);
    expect(seen).toEqual([]);
  });

  it("another path gets 404 in the source's shape (there is no next() on Lambda); no handler runs", async () => {
    const { handler, seen } = receiver("/hooks");
    const v2 = (await handler(
      recorded("api-gateway-v2"),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    const alb = (await handler(recorded("alb-multi-value"), lambdaContext())) as ALBResult;
    expect([v2.statusCode, JSON.parse(v2.body as string).error.code]).toEqual([404, "NOT_FOUND"]);
    expect([alb.statusCode, alb.statusDescription, alb.headers]).toEqual([404, "404 Not Found", undefined]);
    expect(seen).toEqual([]);
  });

  it("an event no supported source sends is an error that names the package", async () => {
    const { handler } = receiver();
    await expect(handler({ Records: [] } as unknown as OctoLambdaEvent, lambdaContext())).rejects.toThrow(
      /^\[@octo-webhooks\/aws-lambda\] not an API Gateway, Function URL or ALB event/,
    );
  });
});

describe("the source address: allowFrom and verify's remoteAddress", () => {
  const CLIENT = "198.51.100.20";
  /** Each recorded event with the client at CLIENT as its source saw it, and a forged X-Forwarded-For. */
  const events: Record<string, () => OctoLambdaEvent> = {
    "API Gateway v1 (requestContext.identity.sourceIp)": () => {
      const event = recorded<APIGatewayProxyEvent>("api-gateway-v1");
      event.requestContext.identity.sourceIp = CLIENT;
      return event;
    },
    "HTTP API v2 (requestContext.http.sourceIp)": () => {
      const event = recorded<APIGatewayProxyEventV2>("api-gateway-v2");
      event.requestContext.http.sourceIp = CLIENT;
      return event;
    },
    "Function URL (requestContext.http.sourceIp)": () => {
      const event = recorded<APIGatewayProxyEventV2>("function-url");
      event.requestContext.http.sourceIp = CLIENT;
      return event;
    },
    "ALB (the X-Forwarded-For entry it appended)": () => {
      const event = recorded<ALBEvent>("alb");
      (event.headers as Record<string, string>)["x-forwarded-for"] = `203.0.113.7, ${CLIENT}`;
      return event;
    },
    "ALB, multi-value headers (the last X-Forwarded-For entry)": () => {
      const event = recorded<ALBEvent>("alb-multi-value");
      (event.multiValueHeaders as Record<string, string[]>)["x-forwarded-for"] = ["203.0.113.7", CLIENT];
      return event;
    },
  };
  const statusOf = (result: OctoLambdaResult) => result.statusCode;
  const allowing = (allowFrom: string) => {
    const verified: Array<string | undefined> = [];
    const handled: string[] = [];
    const handler = octoWebhooksHandler({
      path: "/webhooks/octo",
      logger: {},
      allowFrom,
      auth: {
        basic: { username: "octo", password: "s3cret" },
        verify: (request) => {
          verified.push(request.remoteAddress);
          return true;
        },
      },
      onBookingUpdate: ({ booking }) => void handled.push(booking.uuid),
      onAvailabilityUpdate: ({ availability }) => void handled.push(availability.id),
    });
    return { handler, verified, handled };
  };

  it.each(Object.keys(events))(
    "%s: allowed when it is in allowFrom, 403 FORBIDDEN otherwise",
    async (name) => {
      const event = events[name] as () => OctoLambdaEvent;
      const allowed = allowing(`${CLIENT}/32`);
      expect(statusOf(await allowed.handler(event(), lambdaContext()))).toBe(200);
      expect([allowed.verified, allowed.handled.length]).toEqual([[CLIENT], 1]);
      // the address the forged X-Forwarded-For names (and the recorded events' own) is not the client's
      const refused = allowing("203.0.113.0/24");
      const result = await refused.handler(event(), lambdaContext());
      expect(statusOf(result)).toBe(403);
      expect(JSON.parse(result.body as string).error.code).toBe("FORBIDDEN");
      expect([refused.verified, refused.handled]).toEqual([[], []]);
    },
  );

  it("an ALB event without X-Forwarded-For has no address: allowFrom refuses it", async () => {
    const event = recorded<ALBEvent>("alb");
    delete (event.headers as Record<string, string>)["x-forwarded-for"];
    const { handler, verified } = allowing("0.0.0.0/0");
    const result = await handler(event, lambdaContext());
    expect([statusOf(result), JSON.parse(result.body as string).error.code]).toEqual([403, "FORBIDDEN"]);
    expect(verified).toEqual([]);
  });
});

describe("base64 bodies", () => {
  /** `event` whose `body` counts its reads: what the adapter took from the event, and when. */
  function countingBody<T extends OctoLambdaEvent>(event: T) {
    const text = event.body;
    const counter = { reads: 0 };
    Object.defineProperty(event, "body", {
      enumerable: true,
      get() {
        counter.reads++;
        return text;
      },
    });
    return counter;
  }

  it("aws-lambda: an unauthenticated base64 body is never decoded (credentials are checked first)", async () => {
    const { handler, seen } = receiver();
    const wrong = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    wrong.headers.Authorization = "Basic d3Jvbmc6d3Jvbmc=";
    wrong.multiValueHeaders.Authorization = ["Basic d3Jvbmc6d3Jvbmc="];
    const refused = countingBody(wrong);
    expect(((await handler(wrong, lambdaContext())) as APIGatewayProxyResult).statusCode).toBe(401);
    expect(refused.reads).toBe(0);
    // not even refused as invalid base64: the credentials are checked first
    const junk = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    junk.headers.Authorization = "Basic d3Jvbmc6d3Jvbmc=";
    junk.multiValueHeaders.Authorization = ["Basic d3Jvbmc6d3Jvbmc="];
    junk.body = "%%% not base64 %%%";
    expect(((await handler(junk, lambdaContext())) as APIGatewayProxyResult).statusCode).toBe(401);
    // the same event with the right credentials is read, decoded and handled
    const right = recorded<APIGatewayProxyEvent>("api-gateway-v1");
    const accepted = countingBody(right);
    expect(((await handler(right, lambdaContext())) as APIGatewayProxyResult).statusCode).toBe(200);
    expect(accepted.reads).toBeGreaterThan(0);
    expect(seen.map((s) => s.id)).toEqual(["b-base64 CONFIRMED"]);
  });

  it("aws-lambda: a base64 body with junk characters or bad padding is refused with 400 INVALID_ENCODING", async () => {
    const { handler, seen } = receiver();
    const valid = recorded<ALBEvent>("alb-multi-value").body as string;
    expect(valid.endsWith("fQ==")).toBe(true);
    const corrupt: Record<string, string> = {
      "a character outside the alphabet": `${valid.slice(0, 10)}*${valid.slice(10)}`,
      "a line break": `${valid.slice(0, 20)}\n${valid.slice(20)}`,
      "the URL-safe alphabet": `${valid.slice(0, 4)}-${valid.slice(5)}`,
      "no padding": valid.slice(0, -2),
      "too much padding": `${valid}=`,
      "padding in the middle": `${valid.slice(0, 8)}==${valid.slice(8)}`,
      "unused bits set before the padding": `${valid.slice(0, -3)}R==`,
    };
    for (const [what, body] of Object.entries(corrupt)) {
      const event = recorded<ALBEvent>("alb-multi-value");
      event.body = body;
      const result = (await handler(event, lambdaContext())) as ALBResult;
      const { error } = JSON.parse(result.body as string);
      expect([what, result.statusCode, error?.code]).toEqual([what, 400, "INVALID_ENCODING"]);
      expect(error.message).toBe(
        "[@octo-webhooks/aws-lambda] the body is not valid base64, as isBase64Encoded says it is",
      );
    }
    expect(seen).toEqual([]);
    const event = recorded<ALBEvent>("alb-multi-value");
    expect(((await handler(event, lambdaContext())) as ALBResult).statusCode).toBe(200);
    expect(seen.map((s) => s.id)).toEqual(["b-alb-mv CONFIRMED"]);
  });
});

describe("ack-first", () => {
  it("ack-first without waitUntil is refused at construction: Lambda freezes after the answer", () => {
    for (const ackFirst of [true, { concurrency: 2 }] as const) {
      let error: unknown;
      try {
        octoWebhooksHandler({ ackFirst, onBookingUpdate: () => {} });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(OctoWebhooksError);
      expect((error as OctoWebhooksError).code).toBe("CONFIG_INVALID");
      expect((error as Error).message).toMatch(
        /^\[@octo-webhooks\/aws-lambda\] `ackFirst` cannot work on AWS Lambda: the function is frozen once the answer is returned/,
      );
    }
    expect(typeof octoWebhooksHandler({ ackFirst: false })).toBe("function");
  });
});
