// The consuming function (an SQS event source mapping with ReportBatchItemFailures): runs the typed
// handlers for each message; the ids of the messages whose handlers threw go back to SQS, which delivers
// them again after the visibility timeout, and to the dead-letter queue after maxReceiveCount.
import type { DeliveryStore, Logger } from "@octo-webhooks/aws-lambda";
import { octoWebhooksSqsHandler } from "@octo-webhooks/aws-lambda/sqs";

/**
 * The function. `store` keeps what `dedupe` and `staleGuard` know, and must be shared by every instance
 * of the function (Lambda runs many at once): the Redis store of @octo-webhooks/bullmq, the Postgres
 * store of @octo-webhooks/postgres, or a DeliveryStore of your own (DynamoDB). Without one, each
 * instance remembers only what it processed itself.
 */
export function createConsumer(store?: DeliveryStore, log: Logger & { info(line: string): void } = console) {
  return octoWebhooksSqsHandler({
    ...(store === undefined ? {} : { store }),
    staleGuard: true,
    logger: log,
    onBookingUpdate: ({ booking, diff }) => {
      const was = diff?.find((change) => change.path === "/status")?.was;
      const units = booking.unitItems?.map((unit) => unit.unitId).join(" ") ?? "no units";
      log.info(`booking ${booking.uuid} ${was ? `${was} -> ` : ""}${booking.status} [${units}]`);
    },
    onAvailabilityUpdate: ({ availability, productId }) => {
      const left = availability.vacancies ?? "unlimited";
      log.info(
        `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
      );
    },
    onDeadLetter: (letter) =>
      log.error?.(`refused ${letter.event} ${letter.deliveryKey}: ${letter.failedReason}`),
  });
}

/** What Lambda runs (handler setting: `consumer.handler`). */
export const handler = createConsumer();
