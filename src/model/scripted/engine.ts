/**
 * The scripted model itself, independent of transport: it answers parsed request bodies with
 * event lists (`respond`) or compaction results (`compact`). The fetch and HTTP faces share it.
 */
import { isHandoffRequest } from '../../core/context/summary';
import { toHistoryItem, userMessage, type ResponseItem } from '../../core/items';
import type { ResponsesRequest, StreamEvent } from '../../core/ports';
import { runStep } from './build';
import { createScriptContext, isRealUserMessage } from './context';
import { base64Utf8, encodeReply } from './encode';
import { errorBody, ScriptedHttpError } from './errors';
import { createRng, hashString, makeId } from './rng';
import type { Reply, Script } from './types';
import { canonicalRequest, imagesAsTokens, makeUsage, PrefixCache, utf8Length, type WireUsage } from './usage';

export interface ScriptedModelOptions {
  script: Script;
  /** Varies chunking and ids; the same seed and requests give the same bytes. Default 0. */
  seed?: number;
  /** Milliseconds since the epoch, for `created_at`. */
  now?: () => number;
  /** Ids listed by `GET /models`. */
  models?: readonly string[];
  /**
   * Largest accepted request, in tokens (bytes / 4 of the JSON body, as `usage` counts them).
   * A longer request to `/responses` or `/responses/compact` is answered with the API's 400
   * `context_length_exceeded`. Default: no limit.
   */
  contextWindow?: number;
  /**
   * Answer the engine's hand-off request (local compaction) with a note of our own instead
   * of asking the script. Default true.
   */
  answerHandoffs?: boolean;
  /** Stream no delta events, only whole items (see `EncodeOptions.noDeltas`). Default false. */
  noDeltas?: boolean;
}

export interface ScriptedResponse {
  id: string;
  events: StreamEvent[];
  /** The response object of the terminal event (what a non-streamed call returns). */
  response: Record<string, unknown>;
}

export interface CompactResponse {
  id: string;
  object: 'response.compaction';
  created_at: number;
  output: ResponseItem[];
  /** null from a server that does not count tokens (`noUsage`). */
  usage: WireUsage | null;
}

export interface ModelList {
  object: 'list';
  data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
}

export const DEFAULT_SCRIPTED_MODEL_ID = 'unroll-scripted';

/** Prefixes of user messages that compaction drops (they are re-sent fresh by the client). */
const COMPACT_DROPPED = ['<environment_context>', '# AGENTS.md instructions'];

export class ScriptedModel {
  readonly script: Script;
  readonly #seed: number;
  readonly #now: () => number;
  readonly #modelIds: readonly string[];
  readonly #cache = new PrefixCache();
  /** See `ScriptedModelOptions.contextWindow`; may be changed between requests. */
  contextWindow: number | undefined;
  /** See `ScriptedModelOptions.noDeltas`; may be changed between requests. */
  noDeltas: boolean;
  /** Answer `usage: null` (see `EncodeOptions.noUsage`); may be changed between requests. */
  noUsage = false;
  readonly #answerHandoffs: boolean;
  #answered = 0;

  constructor(options: Script | ScriptedModelOptions) {
    const resolved = typeof options === 'function' ? { script: options } : options;
    this.script = resolved.script;
    this.#seed = resolved.seed ?? 0;
    this.#now = resolved.now ?? Date.now;
    this.#modelIds = resolved.models ?? [DEFAULT_SCRIPTED_MODEL_ID];
    this.contextWindow = resolved.contextWindow;
    this.#answerHandoffs = resolved.answerHandoffs ?? true;
    this.noDeltas = resolved.noDeltas ?? false;
  }

  /** How many `/responses` requests the script has answered. */
  get requestCount(): number {
    return this.#answered;
  }

  /** Forgets request numbering and cached prefixes. */
  reset(): void {
    this.#answered = 0;
    this.#cache.clear();
  }

  /**
   * Answers one `POST /responses` body. Rejects with `ScriptedHttpError` (400) for a body the
   * API would refuse (including one longer than `contextWindow`) and (500) when the script
   * throws. With `options.reply` the script is not consulted and the request is neither
   * counted nor remembered for caching (injected failures). Hand-off requests are answered
   * without the script and are not counted either.
   */
  async respond(body: unknown, options: { reply?: Reply } = {}): Promise<ScriptedResponse> {
    const request = parseRequest(body);
    const requestBytes = utf8Length(imagesAsTokens(JSON.stringify(body)));
    this.#checkWindow(requestBytes);
    const canonical = canonicalRequest(request);
    const forced = options.reply;
    const handoff = !forced && this.#answerHandoffs && isHandoffRequest(request.input[request.input.length - 1]);
    const requestNumber = forced || handoff ? this.#answered : this.#answered++;
    const cachedBytes = forced ? 0 : this.#cache.hit(request.prompt_cache_key, canonical);
    const rng = createRng(hashString(canonical, this.#seed) + requestNumber);

    let reply: Reply;
    try {
      reply =
        forced ??
        (handoff ? [{ type: 'message', text: handoffNote(request.input) }] : await runStep(this.script, createScriptContext(request, requestNumber)));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ScriptedHttpError(500, errorBody(`The scripted model failed: ${message}`, 'server_error', 'server_error'));
    }

    const id = makeId('resp', rng);
    const events = encodeReply(reply, {
      responseId: id,
      model: request.model,
      createdAt: Math.floor(this.#now() / 1000),
      rng,
      includeEncrypted: Array.isArray(request.include) && request.include.includes('reasoning.encrypted_content'),
      requestBytes,
      cachedBytes,
      noDeltas: this.noDeltas,
      noUsage: this.noUsage,
    });
    const terminal = events[events.length - 1];
    const response = (terminal?.response ?? {}) as Record<string, unknown>;
    return { id, events, response };
  }

  /**
   * Answers `POST /responses/compact`: the user's own messages survive, everything else is
   * folded into one opaque `compaction` item.
   */
  compact(body: unknown): CompactResponse {
    const request = parseRequest(body);
    const requestBytes = utf8Length(JSON.stringify(body));
    this.#checkWindow(requestBytes);
    const canonical = canonicalRequest(request);
    const rng = createRng(hashString(canonical, this.#seed ^ 0x5eed));
    const kept = request.input.filter(
      (item) => item.type === 'message' && item.role === 'user' && !COMPACT_DROPPED.some((prefix) => firstText(item).trimStart().startsWith(prefix)),
    );
    const output: ResponseItem[] = kept.map(toHistoryItem);
    output.push({ type: 'compaction', encrypted_content: base64Utf8(summarize(request.input)) });
    return {
      id: makeId('cmp', rng),
      object: 'response.compaction',
      created_at: Math.floor(this.#now() / 1000),
      output,
      usage: this.noUsage
        ? null
        : makeUsage({
            requestBytes,
            cachedBytes: 0,
            outputBytes: utf8Length(JSON.stringify(output)),
            reasoningBytes: 0,
          }),
    };
  }

  /** Refuses a request longer than the context window the way the API does. */
  #checkWindow(requestBytes: number): void {
    if (this.contextWindow === undefined) return;
    const tokens = Math.ceil(requestBytes / 4);
    if (tokens <= this.contextWindow) return;
    throw new ScriptedHttpError(
      400,
      errorBody(
        `This model's maximum context length is ${this.contextWindow} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
        'invalid_request_error',
        'context_length_exceeded',
        'input',
      ),
    );
  }

  listModels(): ModelList {
    const created = Math.floor(this.#now() / 1000);
    return {
      object: 'list',
      data: this.#modelIds.map((id) => ({ id, object: 'model', created, owned_by: 'unroll' })),
    };
  }
}

function firstText(item: ResponseItem): string {
  if (item.type !== 'message') return '';
  const part = item.content[0];
  return part && (part.type === 'input_text' || part.type === 'output_text') ? part.text : '';
}

/** A short hand-off note; only the scripted model ever sees it, base64-wrapped. */
function summarize(input: readonly ResponseItem[]): string {
  const users = input.filter(isRealUserMessage);
  const calls = input.filter((item) => item.type === 'function_call' || item.type === 'custom_tool_call').length;
  const last = users[users.length - 1];
  const asked = last ? firstText(last).slice(0, 200) : '';
  return `Compacted ${input.length} items: ${users.length} user messages, ${calls} tool calls. Last request: ${asked}`;
}

/** The scripted model's hand-off note: what a summary of `input` would at least say. */
function handoffNote(input: readonly ResponseItem[]): string {
  const work = input.slice(0, -1);
  const outputs = work.filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output').length;
  return `${summarize(work)} Tool outputs seen: ${outputs}.`;
}

/** Checks the fields the scripted model relies on; the API accepts a string `input` too. */
function parseRequest(body: unknown): ResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.', null);
  }
  const record = body as Record<string, unknown>;
  if (typeof record.model !== 'string' || record.model === '') {
    throw badRequest("Missing required parameter: 'model'.", 'model');
  }
  let input = record.input;
  if (typeof input === 'string') input = [userMessage(input)];
  if (!Array.isArray(input) || !input.every((item) => typeof item === 'object' && item !== null && 'type' in item)) {
    throw badRequest("Invalid 'input': expected an array of items.", 'input');
  }
  const tools = record.tools === undefined ? [] : record.tools;
  if (!Array.isArray(tools)) throw badRequest("Invalid 'tools': expected an array.", 'tools');
  return { ...(record as unknown as ResponsesRequest), input: input as ResponseItem[], tools };
}

function badRequest(message: string, param: string | null): ScriptedHttpError {
  return new ScriptedHttpError(400, errorBody(message, 'invalid_request_error', null, param));
}
