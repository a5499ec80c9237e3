// The browser the inspector's page is tested in: the system's chromium (Debian's, at /usr/bin/chromium),
// driven by playwright-core; CI installs it, a machine without it skips the browser tests with a reason.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const BROWSER = "/usr/bin/chromium";
export const hasBrowser = existsSync(BROWSER);

/** Starts the browser, headless, with nothing of its own reaching a network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: BROWSER,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page that records console errors and refuses (and records) any request off `origin`. */
export async function openPage(browser: Browser, origin: string, colorScheme: "light" | "dark" = "light") {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith(origin)) return route.continue();
    problems.push(`off-site request: ${route.request().url()}`);
    return route.abort();
  });
  return { page, problems, close: () => context.close() };
}
