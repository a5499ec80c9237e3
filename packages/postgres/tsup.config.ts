import { packageBuild } from "../../tsup.shared.ts";

// what the two queue packages share is bundled into each (never published on its own)
export default packageBuild(["src/index.ts"], { noExternal: ["@octo-webhooks/queue-shared"] });
