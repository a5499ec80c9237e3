import { project } from "../../vitest.shared.ts";

export default project("bullmq", { globalSetup: ["@octo-webhooks/test-helpers/redis-setup"] });
