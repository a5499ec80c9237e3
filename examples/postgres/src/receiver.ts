// `pnpm receiver`: the receiver on PORT (default 3000), stopped cleanly on SIGTERM.
import { createReceiver } from "./app.ts";

const { app, queue } = createReceiver();
const server = app.listen(Number(process.env.PORT ?? 3000), () =>
  console.log(`receiving OCTO webhooks on http://127.0.0.1:${process.env.PORT ?? 3000}/webhooks/octo`),
);
process.on("SIGTERM", () => server.close(() => void queue.close()));
