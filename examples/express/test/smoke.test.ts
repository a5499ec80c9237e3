import { nodeExample, smokeTest } from "../../smoke.ts";

smokeTest("express", new URL("..", import.meta.url), nodeExample);
