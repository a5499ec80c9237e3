import { availabilityUpdate, bookingLifecycle, sendWebhook } from "@octo-webhooks/testing";
import { describe, expect, it } from "vitest";
import { expectNoStack, start } from "./helpers.ts";

const PASSWORD = "p@ss w/rd:é";

async function listening(args: string[] = [], env: Record<string, string> = {}) {
  const running = start(["listen", "--port", "0", ...args], env);
  const [, url] = await running.waitFor(/Listening on (http:\/\/\S+)/);
  return { running, url: url as string };
}

describe("octo-webhooks listen", () => {
  it("prints each event readably and why a delivery is refused", async () => {
    const { running, url } = await listening(["--user", "octo", "--pass", PASSWORD]);
    expect(running.stdout).toContain("(Basic auth as octo)");
    const auth = { username: "octo", password: PASSWORD };
    for (const body of bookingLifecycle({ seed: "listen" })) {
      expect((await sendWebhook(url, body, auth)).status).toBe(200);
    }
    expect(
      (await sendWebhook(url, availabilityUpdate({ vacancies: 0, productId: "prod-1" }), auth)).status,
    ).toBe(200);
    expect(
      (await sendWebhook(url, { webhook: { event: "transfer_update" }, transfer: {} }, auth)).status,
    ).toBe(200);
    expect(
      (await sendWebhook(url, availabilityUpdate(), { username: "octo", password: "bad-guess" })).status,
    ).toBe(401);
    expect((await sendWebhook(url, "{oops", auth)).status).toBe(400);
    expect((await sendWebhook(url, { booking: { status: "CONFIRMED" } }, auth)).status).toBe(400);
    await running.waitFor(/INVALID_BODY/);

    const lines = running.stdout.trim().split("\n").slice(2);
    const time = "\\d\\d:\\d\\d:\\d\\d";
    const uuid = "[0-9a-f-]{36}";
    const expected = [
      `✓ booking_update  booking ${uuid} ON_HOLD \\(3 units, product ${uuid}\\)`,
      `✓ booking_update  booking ${uuid} ON_HOLD → CONFIRMED \\(3 units, product ${uuid}, 5 other changes\\)`,
      `✓ booking_update  booking ${uuid} CONFIRMED \\(4 units, product ${uuid}, 2 other changes\\)`,
      `✓ booking_update  booking ${uuid} CONFIRMED → CANCELLED \\(4 units, product ${uuid}, 6 other changes\\)`,
      "✓ availability_update  availability 2026-12-05T10:00:00\\+00:00 SOLD_OUT \\(0/24 left, product prod-1\\)",
      "✓ transfer_update  transfer_update \\(an event this version does not model; accepted\\)",
      "✗ refused 401 UNAUTHORIZED: missing or invalid credentials",
      "✗ refused 400 MALFORMED_JSON: the body is not valid JSON",
      "✗ refused 400 INVALID_BODY: the booking_update body is invalid at booking.uuid: booking.uuid expected string",
    ];
    expect(lines).toHaveLength(expected.length);
    for (const [i, line] of lines.entries()) expect(line).toMatch(new RegExp(`^${time} ${expected[i]}$`));
    expect(`${running.stdout}${running.stderr}`).not.toContain(PASSWORD);
    expect(await running.stop()).toBe(0);
  });

  it("accepts anything without --user/--pass, validates strictly with --strict, takes OCTO_HOOK_PASS", async () => {
    const open = await listening(["--path", "/in", "--strict"]);
    expect(open.url).toMatch(/\/in$/);
    expect(open.running.stdout).toContain("no auth");
    expect((await sendWebhook(open.url, availabilityUpdate())).status).toBe(200);
    const loose = await sendWebhook(open.url, { availability: { id: "a1", status: "OPEN" } });
    expect(loose.status).toBe(400);
    await open.running.waitFor(/refused 400 INVALID_BODY: .*\(validation: "strict"\)/);

    const fromEnv = await listening(["--user", "octo"], { OCTO_HOOK_PASS: "env-pass" });
    expect(
      (await sendWebhook(fromEnv.url, availabilityUpdate(), { username: "octo", password: "env-pass" }))
        .status,
    ).toBe(200);
  });

  it("fails in one line when it cannot start", async () => {
    const first = await listening();
    const port = new URL(first.url).port;
    const busy = start(["listen", "--port", port]);
    expect(await busy.exited).toBe(1);
    expect(busy.stderr).toBe(`octo-webhooks: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
    const half = start(["listen", "--port", "0", "--pass", "x"]);
    expect(await half.exited).toBe(1);
    expect(half.stderr).toBe("octo-webhooks: give both --user and --pass (or neither)\n");
    expectNoStack(busy.stderr);
  });
});
