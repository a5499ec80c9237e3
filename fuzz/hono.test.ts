// The hono adapter under fuzzing, over its real transport, with nothing and with the usual parser in front.
import { honoFrameworks } from "@octo-webhooks/conformance/frameworks/hono";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of honoFrameworks) for (const target of targetsOf(framework)) fuzz(target);
