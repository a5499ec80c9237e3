// Regression: the 413 reaches a client that is still sending (lingerBeforeClose); see the helper.
import { testAnswerBeforeReset } from "../../../conformance/answer-before-reset.ts";

testAnswerBeforeReset("express");
