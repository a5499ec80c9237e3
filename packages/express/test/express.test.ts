import express5, { type NextFunction, type Request, type Response } from "express";
import express4 from "express4";
import { expect, it } from "vitest";
import { OTHER_PATH, PATH, serve, testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";
import { octoWebhooks } from "../src/index.ts";

for (const [name, express] of [
  ["express", express5],
  ["express 4", express4],
] as const) {
  const parsers = {
    none: { use: [], keepsRawBody: true },
    "express.json()": { use: [express.json()], keepsRawBody: false, limitBytes: 100 * 1024 },
    "express.text({ type: '*/*' })": {
      use: [express.text({ type: "*/*" })],
      keepsRawBody: true,
      limitBytes: 100 * 1024,
    },
    "express.raw({ type: '*/*' })": {
      use: [express.raw({ type: "*/*" })],
      keepsRawBody: true,
      limitBytes: 100 * 1024,
    },
    "express.text() (skips JSON)": { use: [express.text()], keepsRawBody: true },
  };
  testFramework({
    name,
    transport: "http",
    parsers,
    mounts: ["app", "route"],
    isContext: (value) => typeof value === "object" && value !== null && "app" in value && "res" in value,
    start: ({ options, parser, mount }) => {
      const app = express();
      for (const parse of parsers[parser as keyof typeof parsers].use) app.use(parse);
      if (mount === "app") app.use(octoWebhooks(options));
      else app.post(PATH, octoWebhooks(options));
      app.get(OTHER_PATH, (_req, res) => void res.send("other"));
      app.post(OTHER_PATH, async (req, res) => {
        let text = typeof req.body === "string" ? req.body : "";
        if (!req.readableEnded) for await (const chunk of req) text += chunk;
        res.send(`other:${text}`);
      });
      return serve(app);
    },
  });
}

it("express: a body consumed by a middleware that kept nothing is an error with a clear message, not a lost event", async () => {
  const app = express5();
  app.use(async (req, _res, next) => {
    for await (const _ of req);
    next();
  });
  app.use(octoWebhooks({ path: PATH }));
  const errors: string[] = [];
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    errors.push(error.message);
    res.status(500).end();
  });
  const target = await serve(app);
  expect((await target.fetch(PATH, { method: "POST", body: "{}" })).status).toBe(500);
  expect(errors).toEqual([
    expect.stringMatching(/^\[@octo-webhooks\/express\] the request body was read by a middleware/),
  ]);
  await target.close();
});

testPackage(new URL("..", import.meta.url).pathname);
