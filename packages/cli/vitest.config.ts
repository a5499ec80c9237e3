import { project } from "../../vitest.shared.ts";

// Redis for the delivery log's tests (`deliveries`, `inspect`): see @octo-webhooks/test-helpers/redis-setup
export default project("cli", { globalSetup: ["@octo-webhooks/test-helpers/redis-setup"] });
