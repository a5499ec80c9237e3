export const PATH = "/webhooks/octo";
export const USER = "octo";
export const PASS = "bench-password-0123456789";
export const FRAMEWORKS = ["node:http", "express", "fastify", "hono", "koa"];

/** A benchmark server: the bare route, the bare route answering as we do (see server.ts), or with us. */
export type Variant = "bare" | "answer" | "octo";
/** The frameworks whose bare route answers differently from us, so that answering as we do is measured too. */
export const ANSWERING_AS_WE_DO = new Set(["fastify", "hono"]);

/** The servers measured of a framework mounted with us: bare, answering as we do where it differs, with us. */
export function variantsOf(framework: string): Variant[] {
  return ANSWERING_AS_WE_DO.has(framework) ? ["bare", "answer", "octo"] : ["bare", "octo"];
}
