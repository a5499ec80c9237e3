// What `path` means under a mount prefix (the root README's table says the same): the path as the app
// routes it, relative to the mount, where the framework mounts the adapter under one (Express
// `app.use(prefix)`, Fastify's register `prefix`, Hono's `basePath`, koa-mount); the whole path the client
// sent where nothing does (`FrameworkUnderTest.mountPrefix` says why).
import { describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, PREFIX, type Started } from "./app.ts";

const delivery = (): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid: "b-1", status: "CONFIRMED" },
  }),
});

/** The path-under-prefix case of `framework`: relative to its mount, or the whole path. */
export function testPathUnderPrefix(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: path under a mount prefix (${PREFIX})`, () => {
    let delivered = 0;
    /** Runs `check` on an app started with `prefix` (a mount, or a prefix of the app's own), then closes it. */
    const withApp = async (check: (target: Started) => Promise<void>) => {
      delivered = 0;
      const target = await framework.start({
        options: { path: PATH, auth: "none", logger: {}, onBookingUpdate: () => void delivered++ },
        parser: "none",
        mount: "app",
        prefix: PREFIX,
      });
      try {
        await check(target);
      } finally {
        await target.close();
      }
    };

    if (framework.mountPrefix === true)
      it(`answers ${PREFIX}${PATH}: the path as the app routes it, relative to the mount`, () =>
        withApp(async (target) => {
          expect((await target.fetch(`${PREFIX}${PATH}`, delivery())).status).toBe(200);
          expect(delivered).toBe(1);
          expect((await target.fetch(PATH, delivery())).status).toBe(404);
          expect((await target.fetch(`${PREFIX}${PREFIX}${PATH}`, delivery())).status).toBe(404);
          expect(delivered).toBe(1);
        }));
    else
      it(`answers ${PATH}, not ${PREFIX}${PATH}: nothing mounts the adapter, \`path\` is the whole path`, () =>
        withApp(async (target) => {
          expect((await target.fetch(PATH, delivery())).status).toBe(200);
          expect(delivered).toBe(1);
          expect((await target.fetch(`${PREFIX}${PATH}`, delivery())).status).toBe(404);
          expect(delivered).toBe(1);
        }));
  });
}
