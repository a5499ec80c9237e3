// The module beyond the conformance suite: handlers as providers' methods with Nest's injection,
// options from ConfigService, Nest's logger, exactly-once delivery under each body-parsing setting.
import "reflect-metadata";
import type { AddressInfo } from "node:net";
import { type INestApplication, Inject, Injectable, type LoggerService, Module, Scope } from "@nestjs/common";
import { ConfigModule, ConfigService } from "@nestjs/config";
import { NestFactory } from "@nestjs/core";
import { ExpressAdapter } from "@nestjs/platform-express";
import { FastifyAdapter } from "@nestjs/platform-fastify";
import { afterEach, describe, expect, it } from "vitest";
import { OCTO_WEBHOOKS, type OctoWebhooks, OctoWebhooksModule, OnOctoEvent } from "../src/index.ts";

const PATH = "/webhooks/octo";
const cancelled = (uuid: string) =>
  JSON.stringify({
    webhook: { event: "booking_update" },
    booking: { uuid, status: "CANCELLED" },
  });
const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

/** A service the handler provider depends on: proof that handlers get Nest's injection. */
class Seats {
  released: string[] = [];
  release(uuid: string) {
    this.released.push(uuid);
  }
}
/** Handlers as a provider, decorated without decorator syntax (the test files are not compiled with it). */
class Bookings {
  seen: string[] = [];
  constructor(readonly seats: Seats) {}
  release({ booking }: { booking: { uuid: string } }) {
    this.seats.release(booking.uuid);
  }
  any(_payload: unknown, context: { event: string; rawBody: string | undefined }) {
    this.seen.push(`${context.event}:${context.rawBody?.length ?? "parsed"}`);
  }
}
Injectable()(Bookings);
Inject(Seats)(Bookings, undefined as never, 0);
OnOctoEvent("booking.cancelled")(
  Bookings.prototype,
  "release",
  Object.getOwnPropertyDescriptor(Bookings.prototype, "release")!,
);
OnOctoEvent("*")(Bookings.prototype, "any", Object.getOwnPropertyDescriptor(Bookings.prototype, "any")!);
Injectable()(Seats);

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(root: object, platform: "express" | "fastify", settings: object = {}) {
  app = await NestFactory.create(
    root as never,
    platform === "express" ? new ExpressAdapter() : new FastifyAdapter(),
    {
      logger: false,
      abortOnError: false,
      ...settings,
    },
  );
  await app.listen(0, "127.0.0.1");
  const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return (init: RequestInit) => fetch(new URL(PATH, origin), init);
}

const appModule = (imports: unknown[]) => {
  class AppModule {}
  Module({ imports: imports as never[], providers: [Seats, Bookings] })(AppModule);
  return AppModule;
};

describe.each(["express", "fastify"] as const)("on the %s platform", (platform) => {
  it.each([
    ["rawBody: true", { rawBody: true }],
    ["bodyParser: false", { bodyParser: false }],
  ])(
    "an app created with %s receives a delivery exactly once, with its raw text",
    async (_name, settings) => {
      const send = await start(appModule([OctoWebhooksModule.forRoot({ path: PATH })]), platform, settings);
      const body = cancelled("b-once");
      const response = await send(post(body));
      expect(response.status).toBe(200);
      const bookings = app!.get(Bookings);
      expect(bookings.seats.released).toEqual(["b-once"]);
      expect(bookings.seen).toEqual([`booking_update:${body.length}`]);
    },
  );

  it("@OnOctoEvent methods run with their provider's dependencies; options from ConfigService (forRootAsync)", async () => {
    const module = appModule([
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ OCTO_HOOK_PASS: "config-pass-5e1d" })] }),
      OctoWebhooksModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          path: PATH,
          auth: { basic: { username: "octo", password: config.getOrThrow<string>("OCTO_HOOK_PASS") } },
        }),
      }),
    ]);
    const send = await start(module, platform);
    const wrong = await send(post(cancelled("b-1"), { authorization: `Basic ${btoa("octo:wrong")}` }));
    expect(wrong.status).toBe(401);
    const right = await send(
      post(cancelled("b-2"), { authorization: `Basic ${btoa("octo:config-pass-5e1d")}` }),
    );
    expect(right.status).toBe(200);
    expect(app!.get(Bookings).seats.released).toEqual(["b-2"]);
    const webhooks = app!.get<symbol, OctoWebhooks>(OCTO_WEBHOOKS);
    expect(typeof webhooks.receive).toBe("function");
  });

  it("without a logger of its own, core logs through Nest's Logger (a handler's failure, without its message in the answer)", async () => {
    const lines: string[] = [];
    const keep =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) =>
        void lines.push(`${level} ${String(message)} ${rest.join(" ")}`);
    const logger: LoggerService = {
      log: keep("log"),
      error: keep("error"),
      warn: keep("warn"),
      debug: keep("debug"),
    };
    const failing = OctoWebhooksModule.forRoot({
      path: PATH,
      onBookingUpdate: () => {
        throw new Error("the seat database is down");
      },
    });
    const send = await start(appModule([failing]), platform, { logger });
    const response = await send(post(cancelled("b-3")));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("seat database");
    expect(lines.some((line) => line.startsWith("error") && line.includes("OctoWebhooks"))).toBe(true);
    expect(lines.join("\n")).toContain("the seat database is down");
  });
});

it("refuses options without a path, naming the package", async () => {
  await expect(
    NestFactory.create(OctoWebhooksModule.forRoot({} as never), new ExpressAdapter(), {
      logger: false,
      abortOnError: false,
    }),
  ).rejects.toThrow(/^\[@octo-webhooks\/nestjs\] give the `path`/);
});

it("refuses an @OnOctoEvent method on a request-scoped provider, naming it", async () => {
  class PerRequest {
    handle() {}
  }
  Injectable({ scope: Scope.REQUEST })(PerRequest);
  OnOctoEvent("booking_update")(
    PerRequest.prototype,
    "handle",
    Object.getOwnPropertyDescriptor(PerRequest.prototype, "handle")!,
  );
  class Root {}
  Module({ imports: [OctoWebhooksModule.forRoot({ path: PATH })], providers: [PerRequest] })(Root);
  await expect(start(Root, "express")).rejects.toThrow(
    /^\[@octo-webhooks\/nestjs\] PerRequest\.handle has @OnOctoEvent, but its provider is request-scoped/,
  );
});
