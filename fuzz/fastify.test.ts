// The fastify adapter under fuzzing, over its real transport, with nothing and with the usual parser in front.
import { fastifyFrameworks } from "@octo-webhooks/conformance/frameworks/fastify";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of fastifyFrameworks) for (const target of targetsOf(framework)) fuzz(target);
