// The koa adapter under fuzzing, over its real transport, with nothing and with the usual parser in front.
import { koaFrameworks } from "@octo-webhooks/conformance/frameworks/koa";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of koaFrameworks) for (const target of targetsOf(framework)) fuzz(target);
