// Prototype pollution through every adapter and every body parser of the conformance suite (and the
// Web entry): `__proto__`, `constructor` and `prototype` keys at every depth, in JSON and in forms.
// Besides the checks of every fuzz run (documented statuses, no leak), each answer asserts that no
// built-in prototype changed (the servers run in this process) and each delivery that a handler got
// is exactly what was sent: the same own keys at every depth, `Object.prototype`/`Array.prototype` as
// prototypes, nothing inherited that `for...in` would show.
import { frameworks } from "@octo-webhooks/conformance/frameworks";
import { pollutedRequest } from "./arbitraries.ts";
import { fuzz, targetsOf, webTarget } from "./harness.ts";
import { POLLUTION_RUNS, VALID_AUTHORIZATION } from "./settings.ts";

const polluting = {
  requests: pollutedRequest(VALID_AUTHORIZATION),
  runs: POLLUTION_RUNS,
  what: "polluting bodies",
};

fuzz(webTarget, polluting);
for (const framework of frameworks) for (const target of targetsOf(framework, "all")) fuzz(target, polluting);
