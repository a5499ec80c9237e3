import { project } from "../../vitest.shared.ts";

export default project("example-postgres", { globalSetup: ["@octo-webhooks/test-helpers/postgres-setup"] });
