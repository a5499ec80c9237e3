// The example for real: the mock supplier, the receiver on a free port subscribed with the client, then a
// booking's life, an availability change and a product change delivered as thin notifications and
// hydrated into the usual handlers.
import type { AddressInfo } from "node:net";
import { type MockSupplier, startMockSupplier } from "@octo-webhooks/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp, subscribe } from "../src/main.ts";

const lines: string[] = [];
const log = {
  info: (line: string) => void lines.push(line),
  warn: () => {},
  error: () => {},
  debug: () => {},
};
let supplier: MockSupplier;
let close: () => Promise<void>;
let receiverUrl: string;
let env: Record<string, string>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  supplier = await startMockSupplier({ retrySchedule: [10, 20] });
  env = {
    OCTO_BASE_URL: supplier.url,
    OCTO_API_KEY: supplier.apiKey,
    OCTO_HOOK_USER: "octo",
    OCTO_HOOK_PASS: "n0tif-pass",
  };
  app = createApp(env, log);
  const server = app.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/octo`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close?.();
  await supplier?.close();
});

it("subscribes once; the second sync changes nothing", async () => {
  expect((await subscribe(app.client, receiverUrl, env)).changed).toBe(true);
  expect((await subscribe(app.client, receiverUrl, env)).changed).toBe(false);
  expect(supplier.subscriptions).toEqual([
    expect.objectContaining({
      notificationTypes: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE", "PRODUCT_UPDATE"],
    }),
  ]);
});

it("a booking's life arrives as notifications and reaches the booking handlers hydrated", async () => {
  lines.length = 0;
  const deliveries = await supplier.simulate.bookingLifecycle();
  expect(deliveries.map((d) => [d.body.type, d.state])).toEqual(
    Array(4).fill(["BOOKING_UPDATE", "delivered"]),
  );
  const uuid = [...supplier.bookings.keys()][0];
  expect(lines).toEqual([
    `booking ${uuid} ON_HOLD`,
    `booking ${uuid} CONFIRMED`,
    `booking ${uuid} CONFIRMED`,
    `booking ${uuid} CANCELLED`,
    `release the seats of booking ${uuid}`,
  ]);
});

it("availability and product changes are hydrated too", async () => {
  lines.length = 0;
  await supplier.simulate.availabilityChange({ vacancies: 3 });
  await supplier.simulate.productChange();
  expect(lines).toEqual([
    expect.stringMatching(/^availability [0-9a-f-]{36} \S+ LIMITED \(3 left\)$/),
    expect.stringMatching(/^product [0-9a-f-]{36} Harbour Cruise$/),
  ]);
});
