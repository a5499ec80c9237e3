// Pins what users type. `tsc -p tsconfig.test.json` fails when it drifts.
import { Hono } from "hono";
import { describe, expectTypeOf, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

type Bindings = { OCTO_USER: string; OCTO_PASS: string };

describe("types", () => {
  it("the auth resolver gets Hono's context: c.env of the app's bindings, or untyped", () => {
    const app = new Hono<{ Bindings: Bindings }>();
    app.post(
      "/webhooks/octo",
      octoWebhooks({
        auth: (c) => {
          expectTypeOf(c.env).toBeAny(); // Hono cannot pass the app's env into the call: untyped, as in Hono
          return { basic: { username: c.env.OCTO_USER, password: c.env.OCTO_PASS } };
        },
      }),
    );
    app.use(
      octoWebhooks<{ Bindings: Bindings }>({
        path: "/webhooks/octo",
        auth: (c) => {
          expectTypeOf(c.env.OCTO_USER).toEqualTypeOf<string>();
          // @ts-expect-error not a binding of this app
          void c.env.MISSING;
          return { header: { name: "x-api-key", value: c.env.OCTO_PASS } };
        },
      }),
    );
  });
});
