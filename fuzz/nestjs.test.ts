// The NestJS module under fuzzing, on the Express and the Fastify platform, over their real transport,
// with Nest's body parsing off and with its default parser.
import { nestjsFrameworks } from "@octo-webhooks/conformance/frameworks/nestjs";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of nestjsFrameworks) for (const target of targetsOf(framework)) fuzz(target);
