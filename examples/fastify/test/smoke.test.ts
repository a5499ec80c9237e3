import { nodeExample, smokeTest } from "../../smoke.ts";

smokeTest("fastify", new URL("..", import.meta.url), nodeExample);
