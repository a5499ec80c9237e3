// `@octo-webhooks/aws-lambda/sqs`. No SQS emulator installs here: the receiver sends through the AWS
// SDK's own SQSClient with its transport replaced by aws-sdk-client-mock (what SQS answers is decided
// by each test), and the SQS handler gets SQS events in the shape AWS documents for Lambda
// (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html), built from the messages the receiver
// sent, as SQS would deliver them.
import { readFileSync } from "node:fs";
import { SendMessageCommand, type SendMessageCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { lambdaContext } from "@octo-webhooks/conformance/frameworks/lambda";
import { createMemoryStore, deliveryKey, NonRetryableError } from "@octo-webhooks/core";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  SQSEvent,
  SQSRecord,
} from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  type OctoBodyStore,
  type OctoSqsDeadLetter,
  type OctoSqsReceiverOptions,
  octoSqsReceiver,
  octoWebhooksSqsHandler,
} from "../src/sqs.ts";

const FIFO_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/octo-webhooks.fifo";
const STANDARD_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/octo-webhooks";
const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

/** The SQS client the receivers use; its transport is the mock's. */
const client = () =>
  new SQSClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  });

/** A receiver (Basic octo:s3cret, as in the recorded event) whose sent messages are kept. */
function receiver(options: Partial<OctoSqsReceiverOptions> = {}) {
  const sent: SendMessageCommandInput[] = [];
  sqs.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
    sent.push(input);
    return { MessageId: `m-${sent.length}` };
  });
  const handler = octoSqsReceiver({
    queueUrl: FIFO_URL,
    client: client(),
    logger: {},
    ...(options.suppliers === undefined ? { auth: { basic: { username: "octo", password: "s3cret" } } } : {}),
    ...options,
  });
  return { handler, sent };
}

/** The recorded Function URL event (payload 2.0) with `body`, at `path`. */
function request(body: string, path = "/webhooks/octo"): APIGatewayProxyEventV2 {
  const event = JSON.parse(
    readFileSync(new URL("events/function-url.json", import.meta.url), "utf8"),
  ) as APIGatewayProxyEventV2;
  return { ...event, rawPath: path, body };
}
const answer = async (handler: ReturnType<typeof octoSqsReceiver>, body: string, path?: string) =>
  (await handler(request(body, path), lambdaContext())) as APIGatewayProxyStructuredResultV2;

const booking = (uuid: string, status = "CONFIRMED", utcUpdatedAt?: string, extra = {}) =>
  JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid, status, ...(utcUpdatedAt === undefined ? {} : { utcUpdatedAt }), ...extra },
  });
const order = (id: string) =>
  JSON.stringify({ webhook: { event: "order_update" }, order: { id, status: "CONFIRMED", bookings: [] } });
const product = (id: string) => JSON.stringify({ webhook: { event: "product_update" }, product: { id } });
const availability = () =>
  JSON.stringify({ availability: { id: "2026-03-11T09:00:00+01:00", status: "SOLD_OUT" }, productId: "p-1" });

let messageIds = 0;
/** The SQS event record of a sent message, as Lambda gets it (AWS's documented shape). */
function record(input: SendMessageCommandInput, receiveCount = 1): SQSRecord {
  const fifo = input.QueueUrl?.endsWith(".fifo") === true;
  const queue = input.QueueUrl?.split("/").pop() ?? "";
  return {
    messageId: `059f36b4-87a3-44ab-83d2-${String(++messageIds).padStart(12, "0")}`,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-${messageIds}`,
    body: input.MessageBody ?? "",
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "1773169438000",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1773169438002",
      ...(fifo
        ? {
            SequenceNumber: String(18_849_496_460_467_696_128n + BigInt(messageIds)),
            MessageGroupId: input.MessageGroupId as string,
            MessageDeduplicationId: input.MessageDeduplicationId as string,
          }
        : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue as string,
          stringListValues: [],
          binaryListValues: [],
          dataType: "String",
        },
      ]),
    ),
    md5OfBody: "098f6bcd4621d373cade4e832627b4f6",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${queue}`,
    awsRegion: "eu-west-1",
  };
}
const batch = (records: SQSRecord[]): SQSEvent => ({ Records: records });

describe("octoSqsReceiver", () => {
  it("FIFO: each message's group is its booking's, order's or product's id, its deduplication id its delivery key; 200 once SQS accepted it", async () => {
    const { handler, sent } = receiver();
    const bodies = [booking("b-1"), order("o-7"), product("p-3"), availability()];
    for (const body of bodies) expect((await answer(handler, body)).statusCode).toBe(200);
    expect(sent.map((input) => input.MessageGroupId)).toEqual([
      "booking:b-1",
      "order:o-7",
      "product:p-3",
      // availability belongs to no one resource: a group of its own
      deliveryKey(JSON.parse(availability())),
    ]);
    expect(sent.map((input) => input.MessageDeduplicationId)).toEqual(
      bodies.map((body) => deliveryKey(JSON.parse(body))),
    );
    expect(sent[0]).toEqual({
      QueueUrl: FIFO_URL,
      MessageBody: booking("b-1"),
      MessageAttributes: {
        "octo-key": { DataType: "String", StringValue: deliveryKey(JSON.parse(booking("b-1"))) },
        "octo-event": { DataType: "String", StringValue: "booking_update" },
      },
      MessageGroupId: "booking:b-1",
      MessageDeduplicationId: deliveryKey(JSON.parse(booking("b-1"))),
    });
  });

  it("FIFO with suppliers: groups and deduplication ids are the supplier's, the supplier travels with the message", async () => {
    const { handler, sent } = receiver({
      path: "/webhooks/octo/:supplier",
      suppliers: { ventrata: { auth: { basic: { username: "octo", password: "s3cret" } } } },
    });
    expect((await answer(handler, booking("b-9"), "/webhooks/octo/ventrata")).statusCode).toBe(200);
    const key = deliveryKey(JSON.parse(booking("b-9")));
    expect(sent[0]).toMatchObject({
      MessageGroupId: "ventrata/booking:b-9",
      MessageDeduplicationId: `${key}-ventrata`,
      MessageAttributes: { "octo-supplier": { DataType: "String", StringValue: "ventrata" } },
    });
  });

  it("a standard queue gets neither group nor deduplication id", async () => {
    const { handler, sent } = receiver({ queueUrl: STANDARD_URL });
    expect((await answer(handler, booking("b-1"))).statusCode).toBe(200);
    expect(sent[0]).not.toHaveProperty("MessageGroupId");
    expect(sent[0]).not.toHaveProperty("MessageDeduplicationId");
  });

  it("503 + Retry-After when SQS refuses or does not answer within timeoutMs; no handler option is taken", async () => {
    sqs.on(SendMessageCommand).rejects(new Error("ServiceUnavailable"));
    const refusing = octoSqsReceiver({ queueUrl: FIFO_URL, client: client(), logger: {}, auth: "none" });
    const refused = await answer(refusing, booking("b-1"));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers).toMatchObject({ "retry-after": "5" });
    expect(JSON.parse(refused.body as string).error.code).toBe("STORE_UNAVAILABLE");

    sqs.reset();
    sqs.on(SendMessageCommand).callsFake(() => new Promise(() => {}));
    const slow = octoSqsReceiver({
      queueUrl: FIFO_URL,
      client: client(),
      logger: {},
      auth: "none",
      timeoutMs: 50,
    });
    const started = performance.now();
    expect((await answer(slow, booking("b-1"))).statusCode).toBe(503);
    expect(performance.now() - started).toBeLessThan(1000);

    expect(() =>
      octoSqsReceiver({ queueUrl: FIFO_URL, onBookingUpdate: () => {} } as unknown as OctoSqsReceiverOptions),
    ).toThrow(/does not take `onBookingUpdate`: handlers.*belong to octoWebhooksSqsHandler\(\)/);
  });

  it("a body too large for a message gets 413 naming the limit, unless the receiver keeps bodies elsewhere", async () => {
    const large = booking("b-large", "CONFIRMED", undefined, { notes: "x".repeat(270_000) });
    const { handler, sent } = receiver();
    const refused = await answer(handler, large);
    expect(refused.statusCode).toBe(413);
    expect(JSON.parse(refused.body as string).error).toEqual({
      code: "NON_RETRYABLE",
      message: expect.stringMatching(/over the 262144 bytes the queue takes \(`maxMessageBytes`\)/),
    });
    expect(sent).toEqual([]);
    // a queue set to take 1 MiB takes it
    const { handler: roomy, sent: sentRoomy } = receiver({ maxMessageBytes: 1_048_576 });
    expect((await answer(roomy, large)).statusCode).toBe(200);
    expect(sentRoomy[0]?.MessageBody).toBe(large);
  });
});

describe("octoWebhooksSqsHandler", () => {
  it("a batch of mixed successes and failures returns exactly the ids of the failed messages", async () => {
    const { handler: receive, sent } = receiver({ queueUrl: STANDARD_URL });
    for (let i = 0; i < 10; i++) await answer(receive, booking(i % 3 === 0 ? `fails-${i}` : `b-${i}`));
    const applied: string[] = [];
    const handler = octoWebhooksSqsHandler({
      logger: {},
      onBookingUpdate: ({ booking }) => {
        if (booking.uuid.startsWith("fails-")) throw new Error("the CRM is down");
        applied.push(booking.uuid);
      },
    });
    const records = sent.map((input) => record(input));
    const result = await handler(batch(records));
    expect(result.batchItemFailures).toEqual(
      [0, 3, 6, 9].map((i) => ({ itemIdentifier: records[i]?.messageId })),
    );
    expect(applied.sort()).toEqual(["b-1", "b-2", "b-4", "b-5", "b-7", "b-8"]);
  });

  it("duplicates of one delivery in two batches apply once (a store shared by the handler's instances)", async () => {
    const { handler: receive, sent } = receiver({ queueUrl: STANDARD_URL });
    await answer(receive, booking("b-dup"));
    // the sender re-sent it: a second message of the same delivery
    await answer(receive, booking("b-dup"));
    expect(sent).toHaveLength(2);
    const store = createMemoryStore();
    const applied: string[] = [];
    const options = {
      store,
      logger: {},
      onBookingUpdate: ({ booking }: { booking: { uuid: string } }) => void applied.push(booking.uuid),
    };
    // two instances of the function, one store
    const first = octoWebhooksSqsHandler(options);
    const second = octoWebhooksSqsHandler(options);
    expect(await first(batch([record(sent[0] as SendMessageCommandInput)]))).toEqual({
      batchItemFailures: [],
    });
    expect(await second(batch([record(sent[1] as SendMessageCommandInput)]))).toEqual({
      batchItemFailures: [],
    });
    // and SQS delivered the first message again, as at-least-once delivery allows
    expect(await second(batch([record(sent[0] as SendMessageCommandInput, 2)]))).toEqual({
      batchItemFailures: [],
    });
    expect(applied).toEqual(["b-dup"]);
  });

  it("FIFO: a failed message fails the rest of its group in the batch, unprocessed; other groups go on", async () => {
    const { handler: receive, sent } = receiver();
    for (const body of [
      booking("b-1", "ON_HOLD", "2026-05-01T10:00:00Z"),
      booking("b-2", "CONFIRMED", "2026-05-01T10:00:00Z"),
      booking("b-1", "CONFIRMED", "2026-05-01T11:00:00Z"),
      booking("b-1", "CANCELLED", "2026-05-01T12:00:00Z"),
      booking("b-2", "CANCELLED", "2026-05-01T12:00:00Z"),
    ]) {
      await answer(receive, body);
    }
    let down = true;
    const applied: string[] = [];
    const handler = octoWebhooksSqsHandler({
      logger: {},
      onBookingUpdate: ({ booking }) => {
        if (down && booking.uuid === "b-1" && booking.status === "CONFIRMED")
          throw new Error("the CRM is down");
        applied.push(`${booking.uuid} ${booking.status}`);
      },
    });
    const records = sent.map((input) => record(input));
    const result = await handler(batch(records));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[2]?.messageId,
      records[3]?.messageId,
    ]);
    expect(applied).toEqual(["b-1 ON_HOLD", "b-2 CONFIRMED", "b-2 CANCELLED"]);
    // SQS delivers the failed ones again, in their order
    down = false;
    expect(
      await handler(
        batch([record(sent[2] as SendMessageCommandInput, 2), record(sent[3] as SendMessageCommandInput, 2)]),
      ),
    ).toEqual({
      batchItemFailures: [],
    });
    expect(applied.slice(3)).toEqual(["b-1 CONFIRMED", "b-1 CANCELLED"]);
  });

  it("a standard queue does not keep order: the stale guard on a shared store keeps an older update from overwriting a newer one", async () => {
    const { handler: receive, sent } = receiver({ queueUrl: STANDARD_URL });
    await answer(receive, booking("b-5", "CONFIRMED", "2026-05-01T11:00:00Z"));
    await answer(receive, booking("b-5", "CANCELLED", "2026-05-01T12:00:00Z"));
    const applied: string[] = [];
    const handler = octoWebhooksSqsHandler({
      store: createMemoryStore(),
      staleGuard: true,
      logger: {},
      onBookingUpdate: ({ booking }) => void applied.push(`${booking.status}`),
    });
    // the newer first, as a standard queue may hand them over
    await handler(batch([record(sent[1] as SendMessageCommandInput)]));
    expect(await handler(batch([record(sent[0] as SendMessageCommandInput)]))).toEqual({
      batchItemFailures: [],
    });
    expect(applied).toEqual(["CANCELLED"]);
  });

  it("a refused delivery, and a message that is not a delivery, are acknowledged and reported to onDeadLetter", async () => {
    const { handler: receive, sent } = receiver({ queueUrl: STANDARD_URL });
    await answer(receive, booking("b-unsold"));
    const letters: OctoSqsDeadLetter[] = [];
    const handler = octoWebhooksSqsHandler({
      logger: {},
      onDeadLetter: (letter) => void letters.push(letter),
      onBookingUpdate: () => {
        throw new NonRetryableError("a product we do not sell");
      },
    });
    const stranger = { ...record(sent[0] as SendMessageCommandInput), messageAttributes: {}, body: "hello" };
    const refused = record(sent[0] as SendMessageCommandInput, 3);
    expect(await handler(batch([refused, stranger]))).toEqual({ batchItemFailures: [] });
    expect(letters).toHaveLength(2);
    // processed at once: in either order
    expect(letters).toEqual(
      expect.arrayContaining([
        {
          messageId: refused.messageId,
          deliveryKey: deliveryKey(JSON.parse(booking("b-unsold"))),
          event: "booking_update",
          body: booking("b-unsold"),
          failedReason: "refused: a product we do not sell",
          receiveCount: 3,
        },
        expect.objectContaining({ messageId: stranger.messageId, deliveryKey: "", body: "hello" }),
      ]),
    );
  });

  it("a body kept in `bodies` is read back, handled, and deleted once its handlers succeeded", async () => {
    const kept = new Map<string, string>();
    const bodies: OctoBodyStore = {
      put: async (key, body) => void kept.set(key, body),
      get: async (key) => kept.get(key),
      delete: async (key) => void kept.delete(key),
    };
    const large = booking("b-large", "CONFIRMED", undefined, { notes: "x".repeat(270_000) });
    const { handler: receive, sent } = receiver({ bodies });
    expect((await answer(receive, large)).statusCode).toBe(200);
    const ref = `octo-webhooks/${deliveryKey(JSON.parse(large))}`;
    expect(sent[0]).toMatchObject({
      MessageBody: ref,
      MessageAttributes: { "octo-ref": { StringValue: ref } },
    });
    expect(kept.get(ref)).toBe(large);
    const sizes: number[] = [];
    const handler = octoWebhooksSqsHandler({
      bodies,
      logger: {},
      onBookingUpdate: (_, { rawBody }) => void sizes.push(rawBody?.length ?? 0),
    });
    expect(await handler(batch([record(sent[0] as SendMessageCommandInput)]))).toEqual({
      batchItemFailures: [],
    });
    expect(sizes).toEqual([large.length]);
    expect(kept.size).toBe(0);
    // a late re-delivery of its message finds the body gone: acknowledged, nothing runs again
    expect(await handler(batch([record(sent[0] as SendMessageCommandInput, 2)]))).toEqual({
      batchItemFailures: [],
    });
    expect(sizes).toHaveLength(1);
  });
});
