/**
 * Error bodies in every shape servers send, normalised to OpenAI's `{ error: { message, type,
 * code, param } }` before the SDK reads them, so every failure reaches `classifyError` with its
 * message — whichever server wrote it:
 *
 * - OpenAI: `{"error": {"message", "type", "code", "param"}}` (kept as it is);
 * - llama.cpp's server: `{"error": {"code": 400, "message", "type"}}` (a numeric code is the
 *   HTTP status, not an error code: dropped);
 * - a plain string: `{"error": "…"}`;
 * - vLLM: `{"object": "error", "message", "type", "code": 400}` (top level);
 * - FastAPI-style `{"detail": "…"}` or `{"message": "…"}`;
 * - HTML or plain text (a proxy's 404/502 page) and empty bodies.
 *
 * The body as the server sent it (at most `RAW_LIMIT` characters) rides along as
 * `error.raw_body`, for the Inspector and the error card's details.
 */
const RAW_LIMIT = 4096;

export interface NormalErrorBody {
  error: { message: string; type?: string; code?: string; param?: string; raw_body: string };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export function normalizeErrorBody(bodyText: string): NormalErrorBody {
  const raw_body = bodyText.length > RAW_LIMIT ? `${bodyText.slice(0, RAW_LIMIT)}…` : bodyText;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return { error: { message: bodyText.trim(), raw_body } };
  }
  const top = record(parsed) ?? {};
  const inner = record(top.error);
  const source = inner ?? (top.object === 'error' || text(top.message) ? top : undefined);
  const message =
    text(source?.message) ??
    (typeof source?.message === 'object' && source.message !== null ? JSON.stringify(source.message) : undefined) ??
    text(top.error) ??
    text(top.detail) ??
    (Array.isArray(top.detail) ? JSON.stringify(top.detail) : undefined) ??
    (bodyText.trim() ? bodyText.trim() : '');
  const type = text(source?.type);
  const code = text(source?.code);
  const param = text(source?.param);
  return {
    error: {
      message,
      ...(type ? { type } : {}),
      ...(code ? { code } : {}),
      ...(param ? { param } : {}),
      raw_body,
    },
  };
}

/**
 * A fetch whose failed responses (status ≥ 400) carry a normalised JSON body; everything else
 * passes through untouched (a streamed 200 is never read here).
 */
export function normalizingFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || response.status < 400) return response;
    let bodyText = '';
    try {
      bodyText = await response.text();
    } catch {
      // a body that cannot be read is treated as empty
    }
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(JSON.stringify(normalizeErrorBody(bodyText)), { status: response.status, statusText: response.statusText, headers });
  };
}
