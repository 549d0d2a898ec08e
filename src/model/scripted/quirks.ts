/**
 * Ways real Responses servers differ from OpenAI's, reproduced by the scripted model so each
 * has a test: streams without deltas, usage or `response.completed`; servers that refuse
 * custom tools or reasoning; error bodies in each server's own shape. Browser-safe.
 */
import type { OpenAIErrorBody } from './errors';

export type ErrorShape = 'openai' | 'llama' | 'plain' | 'vllm' | 'html';
export const ERROR_SHAPES: readonly ErrorShape[] = ['openai', 'llama', 'plain', 'vllm', 'html'];

export interface EndpointQuirks {
  /** Only whole items: no `*.delta` events. */
  noDeltas?: boolean;
  /** `usage: null` everywhere, as servers that do not count tokens send. */
  noUsage?: boolean;
  /** 400 for a tool whose type is not `function`, in llama.cpp's server's words. */
  rejectCustomTools?: boolean;
  /** 400 for `include`, `reasoning` or a reasoning input item. */
  noReasoningItems?: boolean;
  /** How error bodies are written (default OpenAI's). */
  errorShape?: ErrorShape;
  /** The stream ends after the last item, without `response.completed`. */
  noCompleted?: boolean;
}

/** Why a request is refused under `quirks`, in the words such servers use; undefined when it is not. */
export function quirkRefusal(body: unknown, quirks: EndpointQuirks): string | undefined {
  const request = (typeof body === 'object' && body !== null ? body : {}) as {
    tools?: unknown;
    include?: unknown;
    reasoning?: unknown;
    input?: unknown;
  };
  if (quirks.rejectCustomTools && Array.isArray(request.tools)) {
    if (request.tools.some((tool) => (tool as { type?: unknown } | null)?.type !== 'function')) return "'type' of tool must be 'function'";
  }
  if (quirks.noReasoningItems) {
    if (request.include !== undefined) return "Unsupported parameter: 'include'";
    if (request.reasoning !== undefined) return "Unsupported parameter: 'reasoning'";
    if (Array.isArray(request.input) && request.input.some((item) => (item as { type?: unknown } | null)?.type === 'reasoning')) {
      return "Invalid input item type: 'reasoning'";
    }
  }
  return undefined;
}

/** An OpenAI-shaped error body rewritten in `shape`, with its content type. */
export function shapeErrorBody(status: number, body: OpenAIErrorBody, shape: ErrorShape): { text: string; contentType: string } {
  const { message, type } = body.error;
  switch (shape) {
    case 'openai':
      return { text: JSON.stringify(body), contentType: 'application/json' };
    case 'llama':
      return { text: JSON.stringify({ error: { code: status, message, type } }), contentType: 'application/json' };
    case 'plain':
      return { text: JSON.stringify({ error: message }), contentType: 'application/json' };
    case 'vllm':
      return {
        text: JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: status }),
        contentType: 'application/json',
      };
    case 'html':
      return {
        text: `<html>\r\n<head><title>${status} ${reason(status)}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason(status)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
        contentType: 'text/html',
      };
  }
}

function reason(status: number): string {
  return (
    (
      {
        400: 'Bad Request',
        401: 'Unauthorized',
        404: 'Not Found',
        429: 'Too Many Requests',
        500: 'Internal Server Error',
        502: 'Bad Gateway',
        503: 'Service Unavailable',
      } as Record<number, string>
    )[status] ?? 'Error'
  );
}
