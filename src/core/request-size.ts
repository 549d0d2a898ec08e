/**
 * The size of a request, defined once: the UTF-8 bytes of its JSON body exactly as sent over
 * HTTP. The client hands the body to the SDK, which serialises it with `JSON.stringify` (no
 * whitespace, keys in the order built). Every size shown (the Inspector, step-through, the
 * context meter's reuse share) is this figure; the prompt-cache comparison (`cacheText`)
 * reorders the same fields and is never shown as a size.
 */
import type { ResponsesRequest } from './ports';
import { utf8Length } from './tokens';

/** The body as it goes over the wire. */
export function requestJson(request: ResponsesRequest): string {
  return JSON.stringify(request);
}

export function requestBytes(request: ResponsesRequest): number {
  return utf8Length(requestJson(request));
}
