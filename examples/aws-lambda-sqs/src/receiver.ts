// The receiving function (behind a Function URL, an HTTP API, a REST API or an ALB): each OCTO delivery
// is validated, authenticated and sent to the SQS queue; the supplier gets 200 once SQS accepted it,
// 503 (so that it re-sends) when SQS did not. No handler runs here: see consumer.ts.
import { octoSqsReceiver } from "@octo-webhooks/aws-lambda/sqs";

/** The function, its queue and credentials from `env`. */
export function createReceiver(env: NodeJS.ProcessEnv = process.env) {
  const { OCTO_QUEUE_URL: queueUrl, OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = env;
  if (!queueUrl || !username || !password) {
    throw new Error("Set OCTO_QUEUE_URL, OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  }
  // a queue named `*.fifo`: one message group per booking, order or product, in order
  return octoSqsReceiver({ queueUrl, path: "/webhooks/octo", auth: { basic: { username, password } } });
}

/** What Lambda runs (handler setting: `receiver.handler`). */
export const handler = createReceiver();
