import { project } from "../../vitest.shared.ts";

// what the functions read from their environment on Lambda, set before src/*.ts is imported
export default project("example-aws-lambda-sqs", {
  env: {
    OCTO_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/octo-webhooks.fifo",
    OCTO_HOOK_USER: "octo",
    OCTO_HOOK_PASS: "s3cret",
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "example",
  },
});
