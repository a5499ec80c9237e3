import type { Server } from "node:http";

/** Makes one benchmark server, not yet listening (server.ts's bare and answering ones, octo-servers.ts's). */
export type Start = () => Promise<Server>;
