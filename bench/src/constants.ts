export const PATH = "/webhooks/octo";
export const USER = "octo";
export const PASS = "bench-password-0123456789";
export const FRAMEWORKS = ["node:http", "express", "fastify", "hono", "koa"];
