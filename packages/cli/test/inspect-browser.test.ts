// `octo-webhooks inspect` in a real browser (the system's chromium, driven by playwright-core) over a
// Redis delivery log a real receiver wrote: the list, the filters, a delivery's changes as a table of
// changed fields (from its diff, or from the resource's previous logged state), its attempts and
// handlers, and a replay through the receiver; no console error, nothing fetched off the inspector.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasBrowser, launchBrowser, openPage } from "./browser.ts";
import { start } from "./helpers.ts";
import {
  type LoggedReceiver,
  loggedReceiver,
  PEEK_PASSWORD,
  redisUrl,
  shownStore,
  type WrittenLog,
  writeLog,
} from "./log-helpers.ts";

describe.skipIf(!hasBrowser || redisUrl === "")("octo-webhooks inspect in a browser", () => {
  let browser: Browser;
  let receiver: LoggedReceiver;
  let written: WrittenLog;
  beforeAll(async () => {
    browser = await launchBrowser();
    receiver = await loggedReceiver();
    written = await writeLog(receiver);
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  const rows = (page: Page) => page.locator("tr[data-entry]");
  const row = (page: Page, id: string) => page.locator(`tr[data-entry="${id}"]`);
  const changes = (page: Page) => page.getByRole("table", { name: "Changed fields" });
  const changed = async (page: Page, path: string) =>
    changes(page)
      .locator("tr", { has: page.getByRole("rowheader", { name: path, exact: true }) })
      .locator("td")
      .allTextContents();

  it("lists a Redis log, filters it, shows a delivery's changes, attempts and handlers, and replays", async () => {
    const inspect = start([
      "inspect",
      "--redis",
      redisUrl,
      "--prefix",
      receiver.prefix,
      "--port",
      "0",
      "--allow-replay",
      "--to",
      receiver.url("peek"),
      "--user",
      "octo",
      "--pass",
      PEEK_PASSWORD,
    ]);
    const [, url] = await inspect.waitFor(/Inspector on (http:\/\/\S+)/);
    const { page, problems, close } = await openPage(browser, new URL(url as string).origin);
    await page.goto(url as string);
    await page.getByRole("heading", { name: "Deliveries" }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(8);
    expect(await page.locator("header").textContent()).toContain(`Delivery log ${shownStore}`);
    // a resource id with terminal escapes is text on the page
    expect(await row(page, written.ids.evil).locator(".subject").getAttribute("title")).toContain("evil-");

    // filter by the booking: its three deliveries
    await page.getByLabel("Resource").fill(written.booking);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => rows(page).count()).toBe(3);

    // CONFIRMED: the supplier's diff as a table
    await row(page, written.ids.confirmed).getByRole("button").click();
    await page.getByText("From the delivery's diff.").waitFor();
    expect(await changed(page, "/status")).toEqual(['"ON_HOLD"', '"CONFIRMED"']);

    // CANCELLED was sent without a diff: the change from the previous logged state
    await row(page, written.ids.cancelled).getByRole("button").click();
    await page.getByText(/^Since the previous delivery of this resource/).waitFor();
    expect(await changed(page, "/status")).toEqual(['"CONFIRMED"', '"CANCELLED"']);
    expect(await page.locator(".detail pre").first().textContent()).toContain('"status": "CANCELLED"');
    expect(await page.locator(".detail").textContent()).toContain("[REDACTED]");

    // the failed ones: F's first attempt, its handler's error, and its second attempt one click away
    await page.getByLabel("Resource").fill("");
    await page.getByLabel("Outcome").selectOption("failed");
    await expect.poll(() => rows(page).count()).toBe(2);
    await row(page, written.ids.failed).getByRole("button").click();
    const attempts = page.getByRole("list", { name: "Attempts of this delivery" });
    await attempts.getByText("Attempt 1: 500 failed").waitFor();
    expect(await page.getByRole("table", { name: "Handlers" }).textContent()).toContain(
      `database timeout for ${written.failingBooking}`,
    );
    await attempts.getByRole("button", { name: "Attempt 2: 200 handled" }).click();
    await attempts.getByText("Attempt 2: 200 handled").locator("xpath=self::strong").waitFor();
    expect(await page.locator(".detail").textContent()).toContain("No diff, and no earlier delivery");

    // replay: the receiver had it already (its dedupe decides)
    const before = receiver.handled.length;
    await page.getByRole("button", { name: "Replay" }).click();
    await page.getByRole("status").filter({ hasText: "Replayed: 200 duplicate" }).waitFor({ timeout: 5000 });
    expect(receiver.handled.length).toBe(before);

    // and back to everything: the replay is logged, a new attempt of F
    await page.getByLabel("Outcome").selectOption("");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => rows(page).count()).toBe(9);
    const shot = await page.screenshot({ fullPage: false });
    expect(shot.byteLength).toBeGreaterThan(10_000);
    expect(await page.locator("body").textContent()).not.toContain(PEEK_PASSWORD);
    expect(problems).toEqual([]);
    await close();
  });
});
