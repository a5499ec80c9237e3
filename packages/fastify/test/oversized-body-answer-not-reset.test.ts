// Regression: the 413 reaches a client that is still sending (lingerBeforeClose); see the helper.
import { testAnswerBeforeReset } from "@octo-webhooks/conformance/answer-before-reset";

testAnswerBeforeReset("fastify");
