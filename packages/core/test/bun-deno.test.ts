// Core's `fetch` under Bun (`Bun.serve`) and Deno (`Deno.serve`), both from npm, through the whole
// conformance suite: see conformance/frameworks/runtimes.ts.

import { testFramework } from "@octo-webhooks/conformance";
import { runtimeFrameworks } from "@octo-webhooks/conformance/frameworks/runtimes";

for (const runtime of ["bun", "deno"] as const)
  testFramework(runtimeFrameworks(runtime).find((framework) => framework.name.includes("core fetch"))!);
