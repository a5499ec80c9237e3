import { badRequest } from "./octo-error-body.ts";

/** A percent-encoded segment of a request's path (an id), decoded; a 400 answer thrown when it does not decode. */
export function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`the ${what} in the path is not valid percent-encoding`);
  }
}
