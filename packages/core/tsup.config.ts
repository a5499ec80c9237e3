import { readFileSync } from "node:fs";
import { packageBuild } from "../../tsup.shared.ts";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

// `src/adapter.ts` imports the package by its name, so that its bundle uses the package's own entry
// instead of carrying a copy of the receiver. `src/otel.ts` is the only
// entry that imports `@opentelemetry/api` (an optional peer dependency); its tracer and meter carry
// the package's version.
export default packageBuild(["src/index.ts", "src/schemas.ts", "src/adapter.ts", "src/otel.ts"], {
  external: ["@octo-webhooks/core", "@opentelemetry/api"],
  define: { __OCTO_CORE_VERSION__: JSON.stringify(version) },
});
