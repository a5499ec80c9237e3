// Regression: on @hono/node-server, the 413 reaches a client that is still sending (lingerBeforeClose
// through `c.env.incoming`); see the helper.
import { testAnswerBeforeReset } from "../../../conformance/answer-before-reset.ts";

testAnswerBeforeReset("hono (node-server)");
