// The first demo: the seed document's two sample deliveries go through `handle()`, and we print what
// the typed handlers saw. (The full loop with a mock supplier replaces it once the client lands.)
import { readFileSync } from "node:fs";
import { createOctoWebhooks } from "@octo-webhooks/core";

const webhooks = createOctoWebhooks({
  auth: { basic: { username: "octo", password: "demo-password" } },
  onBookingUpdate: ({ booking }) => {
    const units = booking.unitItems?.map((u) => u.unitId).join(", ");
    console.log(
      `  booking ${booking.uuid} is ${booking.status} (${booking.unitItems?.length} units: ${units})`,
    );
  },
  onAvailabilityUpdate: ({ availability, productId }) => {
    console.log(
      `  availability ${availability.id} of product ${productId}: ${availability.status}, ${availability.vacancies} left`,
    );
  },
});

const authorization = `Basic ${btoa("octo:demo-password")}`;
for (const name of ["seed-booking-update", "seed-availability-update"]) {
  const body = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), "utf8");
  console.log(`POST ${name}`);
  const response = await webhooks.handle({
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body,
  });
  console.log(`  -> ${response.status} ${response.body}`);
  if (response.status !== 200) process.exit(1);
}
const refused = await webhooks.handle({
  method: "POST",
  headers: { authorization: `Basic ${btoa("octo:wrong")}` },
  body: "{}",
});
console.log(`POST with a wrong password\n  -> ${refused.status} ${refused.body}`);
