import { bodyParser } from "@koa/bodyparser";
import Koa from "koa";
import { koaBody } from "koa-body";
import Koa2 from "koa2";
import { OTHER_PATH, serve, testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";
import { octoWebhooks } from "../src/index.ts";

const parsers: Record<string, Koa.Middleware[]> = {
  none: [],
  "@koa/bodyparser": [bodyParser()],
  "@koa/bodyparser (json, text)": [bodyParser({ enableTypes: ["json", "text"] })],
  koaBody: [koaBody()],
  "koaBody({ includeUnparsed: true })": [koaBody({ includeUnparsed: true })],
};

for (const [name, App] of [
  ["koa", Koa],
  ["koa 2", Koa2],
] as const) {
  testFramework({
    name,
    transport: "http",
    parsers: {
      none: { keepsRawBody: true },
      "@koa/bodyparser": { keepsRawBody: true },
      "@koa/bodyparser (json, text)": { keepsRawBody: true },
      koaBody: { keepsRawBody: false },
      "koaBody({ includeUnparsed: true })": { keepsRawBody: true },
    },
    mounts: ["app"],
    isContext: (value) => typeof value === "object" && value !== null && "app" in value && "request" in value,
    start: ({ options, parser }) => {
      const app = new App();
      app.silent = true; // the parsers' own 400/413 answers are expected here
      for (const parse of parsers[parser] ?? []) app.use(parse);
      app.use(octoWebhooks(options));
      app.use(async (ctx) => {
        if (ctx.path !== OTHER_PATH) return;
        const request = ctx.request as typeof ctx.request & { body?: unknown };
        let text = typeof request.body === "string" ? request.body : "";
        if (!ctx.req.readableEnded) for await (const chunk of ctx.req) text += chunk;
        ctx.body = ctx.method === "POST" ? `other:${text}` : "other";
      });
      return serve(app.callback());
    },
  });
}

testPackage(new URL("..", import.meta.url).pathname);
