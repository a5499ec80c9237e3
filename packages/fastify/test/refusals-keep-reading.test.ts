// Regression of issue 24: refusals keep reading (see conformance/refusals-close.ts).
import { testRefusalsClose } from "@octo-webhooks/conformance/refusals-close";

testRefusalsClose("fastify");
