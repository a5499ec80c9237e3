// `octo-webhooks dev` in a real browser (the system's chromium, driven by playwright-core): send a
// cancellation from the page, see it arrive, see a failed delivery retried, replay one; no console error,
// nothing fetched from anywhere but the inspector. OCTO_INSPECTOR_SCREENSHOTS=1 also writes the three
// views to docs/images/inspector-*.png.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, hasBrowser, launchBrowser, openPage as openBrowserPage } from "./browser.ts";
import { startFlakyReceiver } from "./dev-helpers.ts";
import { start } from "./helpers.ts";

const absentMessage = `${BROWSER} is missing: the inspector's browser test is skipped (install it with \`apt-get install chromium\`; OCTO_REQUIRE_BROWSER=1 makes this a failure)`;
const PASSWORD = "browser-s3cret";
const IMAGES = join(import.meta.dirname, "..", "..", "..", "docs", "images");
const screenshots = process.env.OCTO_INSPECTOR_SCREENSHOTS === "1";

if (!hasBrowser) console.warn(absentMessage);

describe("the inspector's browser test", () => {
  it("has a browser to run in, or says clearly that it is absent", () => {
    if (!hasBrowser) expect(process.env.OCTO_REQUIRE_BROWSER, absentMessage).not.toBe("1");
    else expect(existsSync(BROWSER)).toBe(true);
  });
});

describe.skipIf(!hasBrowser)("octo-webhooks dev in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const openPage = (origin: string, colorScheme: "light" | "dark" = "light") =>
    openBrowserPage(browser, origin, colorScheme);

  const nav = (page: Page, name: string) =>
    page.getByRole("navigation", { name: "Views" }).getByRole("link", { name, exact: true });
  const row = (page: Page, id: string) => page.locator(`tr[data-delivery="${id}"]`);
  const shot = async (page: Page, name: string, save = true) => {
    const image = await page.screenshot({ fullPage: false });
    expect(image.byteLength).toBeGreaterThan(10_000);
    if (screenshots && save) {
      mkdirSync(IMAGES, { recursive: true });
      await page.screenshot({ path: join(IMAGES, `inspector-${name}.png`) });
    }
  };

  it("sends a cancellation, shows it, retries a failure, replays; no error, no network", async () => {
    const receiver = await startFlakyReceiver("octo", PASSWORD);
    const dev = start([
      "dev",
      "--port",
      "0",
      "--to",
      receiver.url,
      "--user",
      "octo",
      "--pass",
      PASSWORD,
      "--retry-schedule",
      "700,700,700",
    ]);
    const [, url] = await dev.waitFor(/Inspector on (http:\/\/\S+)/);
    await dev.waitFor(/webhooks: booking_update/);
    const origin = new URL(url as string).origin;
    const { page, problems, close } = await openPage(origin);
    await page.goto(url as string);
    await expect.poll(() => page.getByRole("heading", { name: "Deliveries" }).isVisible()).toBe(true);
    await expect.poll(() => page.locator(".dot.on").count()).toBe(1);

    // Send, reached with the keyboard
    const sendLink = nav(page, "Send");
    await sendLink.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Send" }).waitFor();
    await page.getByLabel(/Booking cancelled/).check();
    await expect.poll(() => page.getByLabel(/Body of the/).inputValue()).toContain('"CANCELLED"');
    await shot(page, "send");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Sent: d1" }).waitFor({ timeout: 2000 });

    await nav(page, "Deliveries").click();
    // within a second of sending it
    await row(page, "d1").locator(".badge.good", { hasText: "200" }).waitFor({ timeout: 1000 });
    expect(receiver.received.map((r) => r.status)).toEqual([200]);

    // the receiver fails until the page has shown the failed attempt and the retry scheduled, then
    // recovers: the page shows the 200 of a retry
    receiver.failNext(1000);
    await nav(page, "Send").click();
    await page.getByLabel(/Booking confirmed/).check();
    await expect.poll(() => page.getByLabel(/Body of the/).inputValue()).toContain('"CONFIRMED"');
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Sent: d2" }).waitFor({ timeout: 2000 });
    await nav(page, "Deliveries").click();
    await row(page, "d2").getByRole("button", { name: "d2" }).click();
    const timeline = page.getByRole("list", { name: "Attempts and retries" });
    await timeline.getByText("Attempt 1: 500").waitFor({ timeout: 2000 });
    await timeline.getByText(/Retry \d scheduled/).waitFor({ timeout: 2000 });
    receiver.recover();
    await row(page, "d2").locator(".badge.good", { hasText: "200" }).waitFor({ timeout: 4000 });
    const attempts = await timeline.locator("li").allTextContents();
    expect(attempts.at(-1)).toMatch(/^\+\d+\.\d s\s*Attempt [2-4]: 200/);

    // filters: failing deliveries only, then all
    await page.getByLabel("Status").selectOption("failing");
    await expect.poll(() => page.locator("tr[data-delivery]").count()).toBe(0);
    await page.getByLabel("Status").selectOption("all");

    // replay the cancellation
    await row(page, "d1").getByRole("button", { name: "d1" }).click();
    await page.getByRole("heading", { name: /Delivery d1/ }).waitFor();
    // its diff as a table of changed fields, not raw JSON
    const status = page
      .getByRole("table", { name: "Changed fields" })
      .locator("tr", { has: page.getByRole("rowheader", { name: "/status", exact: true }) });
    expect(await status.locator("td").allTextContents()).toEqual(['"CONFIRMED"', '"CANCELLED"']);
    await page.getByRole("button", { name: "Replay" }).click();
    await page.getByRole("status").filter({ hasText: "Replayed as d3" }).waitFor({ timeout: 2000 });
    await row(page, "d3").locator(".badge.good", { hasText: "200" }).waitFor({ timeout: 2000 });
    const statuses = receiver.received.map((r) => r.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1, -2).every((status) => status === 500)).toBe(true);
    expect(statuses.slice(-2)).toEqual([200, 200]);
    expect(receiver.received.at(-1)?.body).toEqual(receiver.received[0]?.body);
    await row(page, "d2").getByRole("button", { name: "d2" }).click();
    await timeline.getByText(/Attempt \d: 200/).waitFor();
    await shot(page, "deliveries");

    const shown = await page.locator("body").textContent();
    expect(shown).toContain("Basic ***");
    expect(shown).not.toContain(PASSWORD);

    await nav(page, "Subscriptions").click();
    await page.getByRole("cell", { name: "availability_update", exact: true }).waitFor();
    expect(await page.locator("body").textContent()).not.toContain(PASSWORD);
    await shot(page, "subscriptions");

    // add a subscription from the page, then delete it
    await page.getByLabel("Event").selectOption("availability_update");
    await page.getByLabel("URL").fill("http://127.0.0.1:9/elsewhere");
    await page.getByLabel("Header name").fill("x-api-key");
    await page.getByLabel("Header value").fill("page-secret");
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByText("x-api-key: ***").waitFor();
    expect(await page.locator("body").textContent()).not.toContain("page-secret");
    await page
      .getByRole("button", { name: /Delete the availability_update webhook to http:\/\/127\.0\.0\.1:9/ })
      .click();
    await page.getByRole("status").filter({ hasText: "Deleted availability_update" }).waitFor();
    await expect.poll(() => page.getByRole("row").count()).toBe(3);

    expect(problems).toEqual([]);
    await close();
    expect(dev.stdout + dev.stderr).not.toContain(PASSWORD);
  });

  it("follows a dark system theme", async () => {
    const dev = start(["dev", "--port", "0"]);
    const [, url] = await dev.waitFor(/Inspector on (http:\/\/\S+)/);
    const { page, problems, close } = await openPage(new URL(url as string).origin, "dark");
    await page.goto(url as string);
    await page.getByRole("heading", { name: "Deliveries" }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(21, 23, 28)");
    await shot(page, "dark", false);
    expect(problems).toEqual([]);
    await close();
  });
});
