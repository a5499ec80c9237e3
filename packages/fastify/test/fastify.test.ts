import { OTHER_PATH, testFramework } from "@octo-webhooks/conformance";
import { fastifyFrameworks, startFastify } from "@octo-webhooks/conformance/frameworks/fastify";
import { expect, it } from "vitest";

for (const framework of fastifyFrameworks) testFramework(framework);

it("fastify: the plugin's parsing does not leak: the app's JSON routes and its bodyLimit still work", async () => {
  const { app, fetch } = await startFastify("none", {});
  const posted = await fetch(OTHER_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"a":1}',
  });
  expect(await posted.text()).toBe('other:{"a":1}');
  const large = await fetch(OTHER_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"a":"${"x".repeat(2048)}"}`,
  });
  expect(large.status).toBe(413);
  await app.close();
});
