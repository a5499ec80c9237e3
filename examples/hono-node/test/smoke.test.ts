import { nodeExample, smokeTest } from "../../smoke.ts";

smokeTest("hono-node", new URL("..", import.meta.url), nodeExample);
