import { nodeExample, smokeTest } from "../../smoke.ts";

// src/main.ts: the function behind a local stand-in for its Function URL (HTTP requests as v2 events)
smokeTest("aws-lambda", new URL("..", import.meta.url), nodeExample);
