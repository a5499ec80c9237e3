import { nodeExample, smokeTest } from "../../smoke.ts";

smokeTest("koa", new URL("..", import.meta.url), nodeExample);
