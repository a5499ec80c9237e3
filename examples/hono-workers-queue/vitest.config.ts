import { project } from "../../vitest.shared.ts";

export default project("example-hono-workers-queue", { testTimeout: 60_000 });
