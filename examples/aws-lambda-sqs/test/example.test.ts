// The two functions end to end, without AWS: the receiver's SQSClient answers through
// aws-sdk-client-mock (no SQS emulator installs here), and each message it sent is handed to the
// consumer as an SQS event in the shape AWS documents for Lambda, as SQS would deliver it.
import { SendMessageCommand, type SendMessageCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { createMemoryStore } from "@octo-webhooks/aws-lambda";
import { bookingLifecycle } from "@octo-webhooks/testing";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSEvent,
} from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { expect, it } from "vitest";
import { createConsumer } from "../src/consumer.ts";
import { createReceiver } from "../src/receiver.ts";

/** The functions' environment (vitest.config.ts sets it before src/*.ts is imported). */
const env = process.env as Record<string, string>;

/** A Function URL request (payload 2.0) with `body`. */
const request = (body: unknown, password = env.OCTO_HOOK_PASS): APIGatewayProxyEventV2 => ({
  version: "2.0",
  routeKey: "$default",
  rawPath: "/webhooks/octo",
  rawQueryString: "",
  headers: {
    "content-type": "application/json",
    authorization: `Basic ${Buffer.from(`octo:${password}`).toString("base64")}`,
  },
  requestContext: {
    accountId: "anonymous",
    apiId: "local",
    domainName: "local.lambda-url.eu-west-1.on.aws",
    domainPrefix: "local",
    http: {
      method: "POST",
      path: "/webhooks/octo",
      protocol: "HTTP/1.1",
      sourceIp: "203.0.113.7",
      userAgent: "test",
    },
    requestId: "r-1",
    routeKey: "$default",
    stage: "$default",
    time: "10/Mar/2026:19:03:58 +0000",
    timeEpoch: 1773169438000,
  },
  body: JSON.stringify(body),
  isBase64Encoded: false,
});

/** The SQS event of sent messages, as the consumer's event source mapping hands them over. */
const sqsEvent = (inputs: SendMessageCommandInput[]): SQSEvent => ({
  Records: inputs.map((input, i) => ({
    messageId: `m-${i}`,
    receiptHandle: `h-${i}`,
    body: input.MessageBody ?? "",
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1773169438000",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1773169438002",
      SequenceNumber: String(18_849_496_460_467_696_128n + BigInt(i)),
      MessageGroupId: input.MessageGroupId as string,
      MessageDeduplicationId: input.MessageDeduplicationId as string,
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
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:octo-webhooks.fifo",
    awsRegion: "eu-west-1",
  })),
});

it("a booking's lifecycle: queued in its booking's message group, then handled in order; a wrong password queues nothing", async () => {
  const sent: SendMessageCommandInput[] = [];
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
    sent.push(input);
    return { MessageId: `m-${sent.length}` };
  });
  try {
    const receiver = createReceiver(env);
    const bodies = bookingLifecycle({ seed: "sqs-example" });
    for (const body of bodies) {
      const result = (await receiver(request(body), {} as Context)) as APIGatewayProxyStructuredResultV2;
      expect(result.statusCode).toBe(200);
    }
    const refused = (await receiver(
      request(bodies[0], "wrong"),
      {} as Context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(refused.statusCode).toBe(401);
    const uuid = bodies[0].booking.uuid;
    expect(sent.map((input) => input.MessageGroupId)).toEqual([1, 2, 3, 4].map(() => `booking:${uuid}`));

    const lines: string[] = [];
    const consumer = createConsumer(createMemoryStore(), { info: (line) => void lines.push(line) });
    expect(await consumer(sqsEvent(sent))).toEqual({ batchItemFailures: [] });
    expect(lines.map((line) => line.replace(/ \[.*\]$/, ""))).toEqual([
      `booking ${uuid} ON_HOLD`,
      `booking ${uuid} ON_HOLD -> CONFIRMED`,
      `booking ${uuid} CONFIRMED`,
      `booking ${uuid} CONFIRMED -> CANCELLED`,
    ]);
  } finally {
    sqs.restore();
  }
});
