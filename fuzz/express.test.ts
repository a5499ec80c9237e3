// The express adapter under fuzzing, over its real transport, with nothing and with the usual parser in front.
import { expressFrameworks } from "../conformance/frameworks/express.ts";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of expressFrameworks) for (const target of targetsOf(framework)) fuzz(target);
