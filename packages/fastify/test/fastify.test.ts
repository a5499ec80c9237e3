import { expect, it } from "vitest";
import { fastifyFrameworks, startFastify } from "../../../conformance/frameworks/fastify.ts";
import { OTHER_PATH, testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";

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

testPackage(new URL("..", import.meta.url).pathname);
