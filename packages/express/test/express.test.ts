import express, { type Request } from "express";
import { OTHER_PATH, PATH, serve, testFramework } from "../../../conformance/index.ts";
import { octoWebhooks } from "../src/index.ts";

const parsers = {
  none: [],
  "express.json()": [express.json()],
  "express.text({ type: '*/*' })": [express.text({ type: "*/*" })],
  "express.raw({ type: '*/*' })": [express.raw({ type: "*/*" })],
  "express.text() (skips JSON)": [express.text()],
};

testFramework({
  name: "express",
  transport: "http",
  parsers: {
    none: { keepsRawBody: true },
    "express.json()": { keepsRawBody: false, limitBytes: 100 * 1024 },
    "express.text({ type: '*/*' })": { keepsRawBody: true, limitBytes: 100 * 1024 },
    "express.raw({ type: '*/*' })": { keepsRawBody: true, limitBytes: 100 * 1024 },
    "express.text() (skips JSON)": { keepsRawBody: true },
  },
  mounts: ["app", "route"],
  isContext: (value) => typeof value === "object" && value !== null && "app" in value && "res" in value,
  start: ({ options, parser, mount }) => {
    const app = express();
    for (const parse of parsers[parser as keyof typeof parsers]) app.use(parse);
    if (mount === "app") app.use(octoWebhooks(options));
    else app.post(PATH, octoWebhooks(options));
    app.get(OTHER_PATH, (_req, res) => void res.send("other"));
    app.post(OTHER_PATH, async (req: Request, res) => {
      let text = typeof req.body === "string" ? req.body : "";
      if (!req.readableEnded) for await (const chunk of req) text += chunk;
      res.send(`other:${text}`);
    });
    return serve(app);
  },
});
