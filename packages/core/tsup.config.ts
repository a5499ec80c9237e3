import { packageBuild } from "../../tsup.shared.ts";

// `src/adapter.ts` imports the package by its name, so that its bundle uses the entry the export
// conditions pick (edge or Node) instead of carrying a copy of the receiver.
export default packageBuild(["src/index.ts", "src/index.edge.ts", "src/schemas.ts", "src/adapter.ts"], {
  external: ["@octo-webhooks/core"],
});
