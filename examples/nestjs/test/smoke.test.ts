import { nodeExample, smokeTest } from "../../smoke.ts";

smokeTest("nestjs (express)", new URL("..", import.meta.url), nodeExample);
smokeTest("nestjs (fastify)", new URL("..", import.meta.url), {
  ...nodeExample,
  env: { ...nodeExample.env, NEST_PLATFORM: "fastify" },
});
