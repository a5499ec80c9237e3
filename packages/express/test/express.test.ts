import { PATH, serve, testFramework } from "@octo-webhooks/conformance";
import { expressFrameworks } from "@octo-webhooks/conformance/frameworks/express";
import express5, { type NextFunction, type Request, type Response } from "express";
import { expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

for (const framework of expressFrameworks) testFramework(framework);

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
