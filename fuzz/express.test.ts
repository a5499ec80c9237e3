// The express adapter under fuzzing, over its real transport, with nothing and with the usual parser in front.
import { expressFrameworks } from "@octo-webhooks/conformance/frameworks/express";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of expressFrameworks) for (const target of targetsOf(framework)) fuzz(target);
