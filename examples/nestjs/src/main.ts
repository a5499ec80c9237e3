// OCTO webhooks in NestJS: OCTO_HOOK_USER=octo OCTO_HOOK_PASS=s3cret pnpm start (PORT, default 3000;
// NEST_PLATFORM=fastify for the Fastify platform). Handlers are methods of a provider, with its
// dependencies injected; the app keeps Nest's default body parser, which the receiver does not need.
import "reflect-metadata";
import { Inject, Injectable, Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { ExpressAdapter } from "@nestjs/platform-express";
import { FastifyAdapter } from "@nestjs/platform-fastify";
import {
  type AvailabilityUpdateEvent,
  type BookingUpdateEvent,
  OctoWebhooksModule,
  OnOctoEvent,
} from "@octo-webhooks/nestjs";

/** Where the lines go: a provider of its own, to show that handlers get injected dependencies. */
@Injectable()
export class Journal {
  write(line: string) {
    console.info(line);
  }
}

@Injectable()
export class OctoEvents {
  // an explicit token: this example runs through tsx (esbuild), which emits no decorator metadata
  @Inject(Journal) private readonly journal!: Journal;

  @OnOctoEvent("booking_update")
  booking({ booking, diff }: BookingUpdateEvent) {
    const was = diff?.find((change) => change.path === "/status")?.was;
    const changed = [...new Set(diff?.map((change) => change.path?.split("/")[1]))].join(", ");
    const units = booking.unitItems?.map((unit) => unit.unitId).join(" ") ?? "no units";
    this.journal.write(
      `booking ${booking.uuid} ${was ? `${was} -> ` : ""}${booking.status} [${units}]${changed && ` changed: ${changed}`}`,
    );
  }

  @OnOctoEvent("availability_update")
  availability({ availability, productId }: AvailabilityUpdateEvent) {
    const left = availability.vacancies ?? "unlimited";
    this.journal.write(
      `availability ${productId} ${availability.localDateTimeStart} ${availability.status}, ${left} left`,
    );
  }
}

/** The root module, credentials from `env`. */
export function appModule(env: NodeJS.ProcessEnv = process.env) {
  const { OCTO_HOOK_USER: username, OCTO_HOOK_PASS: password } = env;
  if (!username || !password)
    throw new Error("Set OCTO_HOOK_USER and OCTO_HOOK_PASS (the webhook URL's user:pass)");
  @Module({
    imports: [
      OctoWebhooksModule.forRoot({ path: "/webhooks/octo", auth: { basic: { username, password } } }),
    ],
    providers: [Journal, OctoEvents],
  })
  class AppModule {}
  return AppModule;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fastify = process.env.NEST_PLATFORM === "fastify";
  const app = await NestFactory.create(appModule(), fastify ? new FastifyAdapter() : new ExpressAdapter(), {
    logger: ["error", "warn"],
  });
  await app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
  const { port } = app.getHttpServer().address() as { port: number };
  console.info(`listening on http://localhost:${port}/webhooks/octo`);
}
