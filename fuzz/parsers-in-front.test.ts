// What a body parser in front does by itself, before our middleware runs, where the fuzz tests found it
// does something wrong: documented beside the parser (`ParserTraits`), shown here to be the parser's.

import { countingReceiver, PATH } from "@octo-webhooks/conformance/app";
import { frameworks } from "@octo-webhooks/conformance/frameworks";
import { expect, it } from "vitest";

const cases = frameworks.flatMap((framework) =>
  Object.entries(framework.parsers)
    .filter(([, traits]) => traits.stallsOnBadContentCoding === true)
    .map(([parser]) => [`${framework.name} + ${parser}`, framework, parser] as const),
);

it.each(cases)(
  "%s: a body whose Content-Encoding does not decode gets the parser's own 500; our middleware never runs",
  async (_name, framework, parser) => {
    const { webhooks, reached } = countingReceiver({ logger: {} });
    const target = await framework.start({ options: { webhooks, path: PATH }, parser, mount: "app" });
    try {
      const response = await target.fetch(PATH, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "deflate" },
        body: JSON.stringify({ booking: { uuid: "b-1" } }),
        signal: AbortSignal.timeout(10_000),
      });
      expect([response.status, await response.text()]).toEqual([500, "Internal Server Error"]);
      expect(reached()).toBe(0);
    } finally {
      await target.close();
    }
  },
);
