import { describe, expect, it } from "vitest";
import { matchesPath } from "../src/adapter.ts";

describe("matchesPath", () => {
  it.each([
    ["/webhooks/octo", "/webhooks/octo", true],
    ["/webhooks/octo/", "/webhooks/octo", true],
    ["/webhooks/octo", "/webhooks/octo/", true],
    ["/webhooks/octo?retry=1", "/webhooks/octo", true],
    ["/webhooks/octo#x", "/webhooks/octo", true],
    ["https://host.test/webhooks/octo/?a", "/webhooks/octo", true],
    ["https://host.test", "/", true],
    ["/webhooks/octo2", "/webhooks/octo", false],
    ["/webhooks", "/webhooks/octo", false],
    ["/webhooks/octo/x", "/webhooks/octo", false],
    ["/Webhooks/octo", "/webhooks/octo", false],
    ["/", "/webhooks/octo", false],
  ])("%s against %s: %s", (url, path, expected) => {
    expect(matchesPath(url, path)).toBe(expected);
  });
});
