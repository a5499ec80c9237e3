import { project } from "../../vitest.shared.ts";

export default project("bullmq", { globalSetup: ["test/redis-setup.ts"] });
