// `pnpm migrate`: creates or upgrades the schema (a deploy step; receivers and workers also run it).
import { migrate } from "@octo-webhooks/postgres";

const connection = process.env.DATABASE_URL;
if (!connection) throw new Error("[example-postgres] set DATABASE_URL");
await migrate({ connection, schema: process.env.OCTO_SCHEMA ?? "octo_webhooks" });
console.log("schema ready");
