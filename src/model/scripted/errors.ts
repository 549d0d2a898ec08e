/** OpenAI-shaped HTTP errors, shared by the scripted model's HTTP faces. */

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** A failure the faces answer with `status` and an OpenAI-shaped JSON body. */
export class ScriptedHttpError extends Error {
  readonly status: number;
  readonly body: OpenAIErrorBody;

  constructor(status: number, body: OpenAIErrorBody) {
    super(body.error.message);
    this.name = 'ScriptedHttpError';
    this.status = status;
    this.body = body;
  }
}

/** What the real API tends to answer for `status`, used when a fault gives no body. */
export function defaultErrorBody(status: number): OpenAIErrorBody {
  switch (status) {
    case 400:
      return errorBody('Invalid request (injected fault).', 'invalid_request_error');
    case 401:
      return errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 403:
      return errorBody('You are not allowed to access this resource.', 'invalid_request_error', 'unsupported_country_region_territory');
    case 404:
      return errorBody('The model does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found');
    case 429:
      return errorBody('Rate limit reached. Please try again in 1s.', 'requests', 'rate_limit_exceeded');
    case 503:
      return errorBody('The server is overloaded. Please try again later.', 'server_error', 'server_is_overloaded');
    default:
      return status >= 500
        ? errorBody('The server had an error while processing your request.', 'server_error', 'server_error')
        : errorBody(`Request failed with status ${status} (injected fault).`, 'invalid_request_error');
  }
}
