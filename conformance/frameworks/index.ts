// Every framework adapter as the suite runs it; the fuzz tests start the very same apps.
import type { FrameworkUnderTest } from "../app.ts";
import { expressFrameworks } from "./express.ts";
import { fastifyFrameworks } from "./fastify.ts";
import { honoFrameworks } from "./hono.ts";
import { koaFrameworks } from "./koa.ts";
import { lambdaFrameworks } from "./lambda.ts";
import { nestjsFrameworks } from "./nestjs.ts";

export {
  expressFrameworks,
  fastifyFrameworks,
  honoFrameworks,
  koaFrameworks,
  lambdaFrameworks,
  nestjsFrameworks,
};

/** Every framework under test, each major and transport (express, express 4, fastify, hono x2, koa, koa 2, lambda x5, nestjs x2). */
export const frameworks: FrameworkUnderTest[] = [
  ...expressFrameworks,
  ...fastifyFrameworks,
  ...honoFrameworks,
  ...koaFrameworks,
  ...lambdaFrameworks,
  ...nestjsFrameworks,
];
