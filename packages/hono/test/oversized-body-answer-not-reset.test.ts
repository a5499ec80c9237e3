// Regression: on @hono/node-server, the 413 reaches a client that is still sending (lingerBeforeClose
// through `c.env.incoming`); see the helper.
import { testAnswerBeforeReset } from "@octo-webhooks/conformance/answer-before-reset";

testAnswerBeforeReset("hono (node-server)");
