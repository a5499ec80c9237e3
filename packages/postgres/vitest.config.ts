import { project } from "../../vitest.shared.ts";

export default project("postgres", { globalSetup: ["@octo-webhooks/test-helpers/postgres-setup"] });
