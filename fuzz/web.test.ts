// The Web entry (`fetch`) under fuzzing: the same checks as every adapter; and core's delivery
// semantics (dedupe, stale guard) under the same hostile bodies.
import { fuzz, webDeliveryTarget, webTarget } from "./harness.ts";

fuzz(webTarget);
fuzz(webDeliveryTarget);
