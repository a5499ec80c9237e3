// The Web entry (`fetch`) under fuzzing: the same checks as every adapter.
import { fuzz, webTarget } from "./harness.ts";

fuzz(webTarget);
