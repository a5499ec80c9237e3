import type { z } from "zod/mini";
import type { ValidationIssue } from "../errors/errors.ts";

const MAX_ISSUES = 20;

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : `${out ? "." : ""}${String(segment)}`;
  }
  return out || "(root)";
}

/**
 * Turns zod issues into `{ path, message }` without echoing received values (zod/mini ships no
 * messages of its own, and loading a locale would change the user's global zod configuration).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.slice(0, MAX_ISSUES).map((issue) => {
    let message: string;
    switch (issue.code) {
      case "invalid_type":
        message = `expected ${issue.expected}`;
        break;
      case "invalid_value":
        message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "invalid_format":
        message = `expected ${issue.format === "datetime" ? "an ISO 8601 UTC timestamp" : issue.format}`;
        break;
      case "invalid_union":
        message = "matches none of the allowed shapes";
        break;
      default:
        message =
          issue.message && issue.message !== "Invalid input" ? issue.message : issue.code.replace(/_/g, " ");
    }
    return { path: formatPath(issue.path), message };
  });
}
