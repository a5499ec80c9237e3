/**
 * Amazon SQS as the durable hand-off of OCTO webhooks on Lambda (`@octo-webhooks/aws-lambda/sqs`,
 * apart from the main entry so that it alone needs `@aws-sdk/client-sqs`): {@link octoSqsReceiver}
 * answers the sender once SQS accepted a delivery, and {@link octoWebhooksSqsHandler} runs the typed
 * handlers from the queue, reporting the messages whose handlers failed (partial batch responses).
 *
 * @packageDocumentation
 */
export {
  type OctoSqsReceiverOptions,
  octoSqsReceiver,
  SQS_DEFAULT_MAX_MESSAGE_BYTES,
} from "./octo-sqs-receiver.ts";
export {
  type OctoBodyStore,
  type OctoSqsDeadLetter,
  type OctoSqsHandler,
  type OctoSqsHandlerOptions,
  octoWebhooksSqsHandler,
} from "./octo-webhooks-sqs-handler.ts";
