import { createOctoWebhooks } from "@octo-webhooks/core";
import { startReceiver } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { cli, closedPort, expectNoStack, onCleanup } from "./helpers.ts";

const PASSWORD = "p@ss w/rd:é";

async function receiver() {
  const seen: string[] = [];
  const webhooks = createOctoWebhooks({
    auth: { basic: { username: "octo", password: PASSWORD } },
    logger: {},
    onBookingUpdate: ({ booking }, { headers }) =>
      void seen.push(`booking ${booking.status} ${headers.get("x-tenant")}`),
    onAvailabilityUpdate: ({ availability }) => void seen.push(`availability ${availability.status}`),
    onOrderUpdate: ({ order }) => void seen.push(`order ${order.status} ${order.bookings?.length}`),
    // fired by the bookings of an order only (a booking_update's own lifecycle is not what these tests count)
    onBookingConfirmed: (_payload, { order }) => void (order && seen.push("booking.confirmed in order")),
    onProductUpdate: ({ product }) => void seen.push(`product ${product.options?.length}`),
  });
  const r = await startReceiver(webhooks);
  onCleanup(r.close);
  return { ...r, seen };
}

describe("octo-webhooks trigger", () => {
  it("sends a sample booking_update with credentials and headers, and prints the answer", async () => {
    const r = await receiver();
    const { code, stdout, stderr } = await cli([
      "trigger",
      "booking_update",
      "--to",
      r.url,
      "--status",
      "CANCELLED",
      "--user",
      "octo",
      "--pass",
      PASSWORD,
      "--header",
      "x-tenant=acme",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(r.seen).toEqual(["booking CANCELLED acme"]);
    const [sent, answer] = stdout.trim().split("\n");
    expect(sent).toMatch(
      /^→ POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/octo {2}booking_update {2}booking [0-9a-f-]{36} CONFIRMED → CANCELLED/,
    );
    expect(answer).toMatch(/^← 200 \{"ok":true\} \(\d+ ms\)$/);
    expect(stdout).not.toContain(PASSWORD);
  });

  it("takes credentials from the URL (shown redacted) or OCTO_HOOK_PASS", async () => {
    const r = await receiver();
    const withCreds = r.url.replace("http://", `http://octo:${encodeURIComponent(PASSWORD)}@`);
    const inUrl = await cli(["trigger", "availability_update", "--to", withCreds, "--status", "SOLD_OUT"]);
    expect(inUrl.code).toBe(0);
    expect(inUrl.stdout).toContain("→ POST http://***@127.0.0.1:");
    expect(inUrl.stdout).not.toContain("p%40ss");
    const fromEnv = await cli(["trigger", "booking_update", "--to", r.url, "--user", "octo"], {
      OCTO_HOOK_PASS: PASSWORD,
    });
    expect(fromEnv.code).toBe(0);
    expect(r.seen).toEqual(["availability SOLD_OUT", "booking CONFIRMED null"]);
  });

  it("exits 1 when the receiver refuses, printing its answer and the reason in one line", async () => {
    const r = await receiver();
    const { code, stdout, stderr } = await cli([
      "trigger",
      "booking_update",
      "--to",
      r.url,
      "--user",
      "octo",
      "--pass",
      "wrong-pass",
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/← 401 \{"ok":false,"error":\{"code":"UNAUTHORIZED"/);
    expect(stderr).toBe("octo-webhooks: the receiver answered 401\n");
    expect(`${stdout}${stderr}`).not.toContain("wrong-pass");
  });

  it("exits 1 with one line when nothing answers or the input is wrong", async () => {
    const port = await closedPort();
    const down = await cli(["trigger", "booking_update", "--to", `http://u:secret-pw@127.0.0.1:${port}/x`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      `octo-webhooks: could not deliver to http://***@127.0.0.1:${port}/x: ECONNREFUSED\n`,
    );
    expect(down.stdout).not.toContain("secret-pw");
    const half = await cli(["trigger", "booking_update", "--to", "http://127.0.0.1:9/x", "--user", "octo"]);
    expect(half.stderr).toBe("octo-webhooks: give both --user and --pass (or neither)\n");
    const bad = await cli(["trigger", "booking_update", "--to", "not-a-url"]);
    expect(bad.stderr).toBe("octo-webhooks: --to must be an absolute http(s) URL\n");
    for (const result of [down, half, bad]) {
      expect(result.code).toBe(1);
      expectNoStack(result.stderr);
    }
  });

  it("notes an unknown status but sends it (real suppliers send more than the spec)", async () => {
    const r = await receiver();
    const { code, stderr } = await cli([
      "trigger",
      "booking_update",
      "--to",
      r.url,
      "--status",
      "NOSHOW",
      "--user",
      "octo",
      "--pass",
      PASSWORD,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain("note: NOSHOW is not an OCTO booking_update status");
    expect(r.seen).toEqual(["booking NOSHOW null"]);
  });

  it("sends a sample order_update (an order confirmed with two bookings) and a product_update", async () => {
    const r = await receiver();
    const auth = ["--user", "octo", "--pass", PASSWORD];
    const order = await cli(["trigger", "order_update", "--to", r.url, ...auth]);
    expect(order.stderr).toBe("");
    expect(order.code).toBe(0);
    expect(order.stdout).toMatch(
      /order_update {2}order \S+ ON_HOLD → CONFIRMED \(2 bookings: CONFIRMED, CONFIRMED\)/,
    );
    const product = await cli(["trigger", "product_update", "--to", r.url, ...auth]);
    expect(product.code).toBe(0);
    expect(product.stdout).toMatch(/product_update {2}product \S+ Harbour Cruise \(2 options\)/);
    expect(r.seen).toEqual([
      "order CONFIRMED 2",
      "booking.confirmed in order",
      "booking.confirmed in order",
      "product 2",
    ]);
  });

  it("refuses --status for product_update, and notes an order status OCTO does not define", async () => {
    const r = await receiver();
    const refused = await cli(["trigger", "product_update", "--to", r.url, "--status", "CONFIRMED"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--status does not apply to product_update/);
    expectNoStack(refused.stderr);
    const noted = await cli([
      "trigger",
      "order_update",
      "--to",
      r.url,
      "--status",
      "ARCHIVED",
      "--user",
      "octo",
      "--pass",
      PASSWORD,
    ]);
    expect(noted.stderr).toMatch(/ARCHIVED is not an OCTO order_update status/);
    expect(noted.code).toBe(0);
  });
});
