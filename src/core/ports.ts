/**
 * The small surfaces the engine needs from the outside world. `model/`, `sandbox/` and the
 * tests implement them; the engine receives implementations through its constructor.
 */
import type { ResponseItem } from './items';

// ---------------------------------------------------------------------------------- model

/** The JSON body of `POST /responses` as the engine builds it. */
export interface ResponsesRequest {
  model: string;
  instructions?: string;
  input: ResponseItem[];
  tools: ToolSpec[];
  tool_choice: 'auto';
  parallel_tool_calls: boolean;
  reasoning?: { effort?: ReasoningEffort; summary?: 'auto' | 'concise' | 'detailed' };
  store: boolean;
  stream: true;
  include?: string[];
  prompt_cache_key?: string;
  text?: Record<string, unknown>;
  service_tier?: string;
}

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface FunctionToolSpec {
  type: 'function';
  name: string;
  description: string;
  strict: boolean;
  parameters: Record<string, unknown>;
}
export interface CustomToolSpec {
  type: 'custom';
  name: string;
  description: string;
  format: { type: 'grammar'; syntax: 'lark' | 'regex'; definition: string } | { type: 'text' };
}
/** A tool the Responses server runs itself (`{type:"web_search"}`); it has no name field. */
export interface HostedToolSpec {
  type: 'web_search';
  [key: string]: unknown;
}
export type ToolSpec = FunctionToolSpec | CustomToolSpec | HostedToolSpec;

/** One event of a Responses SSE stream, already JSON-decoded. Only `type` is relied on. */
export interface StreamEvent {
  type: string;
  sequence_number?: number;
  [key: string]: unknown;
}

export interface Usage {
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
}

/** What `POST /responses/compact` returns: the items that replace the history. */
export interface CompactResult {
  output: ResponseItem[];
  usage?: Usage;
}

export interface ModelClient {
  /**
   * Opens one streamed sampling request. Rejects (or the iterator throws) with a
   * `ModelError`-shaped error on failure; stops promptly when `signal` aborts.
   * Must not retry once events have been yielded: the caller owns retries of a round.
   */
  stream(request: ResponsesRequest, options: { signal: AbortSignal }): AsyncIterable<StreamEvent>;
  /** Present when the provider has `/responses/compact`. */
  compact?(
    request: { model: string; input: ResponseItem[]; instructions?: string; tools?: ToolSpec[] },
    options: { signal: AbortSignal },
  ): Promise<CompactResult>;
}

export type ModelErrorKind =
  | 'auth' // 401/403: bad or missing key
  | 'quota' // insufficient_quota: billing, never retried
  | 'rate_limit' // 429
  | 'context_overflow' // context_length_exceeded
  | 'bad_request' // other 4xx
  | 'not_found' // 404: wrong base URL or model
  | 'server' // 5xx, response.failed with server_error
  | 'network' // could not reach the server
  | 'cors' // the server answered but the browser was not allowed to read it
  | 'timeout' // no event within the idle timeout
  | 'stream' // the stream broke: cut short, malformed, ended without response.completed
  | 'incomplete' // response.incomplete (e.g. max_output_tokens)
  | 'aborted'; // the caller's signal aborted

/** The shape every model failure takes. `retryable` decides whether the loop tries again. */
export interface ModelErrorShape {
  name: 'ModelError';
  kind: ModelErrorKind;
  message: string;
  status?: number;
  code?: string;
  retryable: boolean;
  /** The server's requested delay (Retry-After or "try again in …"), if any. */
  retryAfterMs?: number;
  /** The error body as the server sent it (truncated), when it sent one. */
  body?: string;
  /** The request used a feature this server refuses; sent again without it, it may succeed. */
  unsupported?: UnsupportedFeature;
}

/**
 * Request features some Responses servers refuse: freeform `custom` tools (llama.cpp's server
 * takes only `function` tools), reasoning (`reasoning`, `include`, reasoning input items) and the
 * hosted `web_search` tool.
 */
export type UnsupportedFeature = 'custom_tools' | 'reasoning' | 'web_search';

export function isModelError(value: unknown): value is ModelErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'ModelError' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

// -------------------------------------------------------------------------------- sandbox

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
}

/**
 * The slice of a sandbox filesystem the engine uses. Paths are absolute, POSIX-style, inside
 * the sandbox. Methods reject with an Error whose message says what failed.
 */
export interface SandboxFs {
  /** UTF-8 text; a byte-order mark and bytes that are not UTF-8 may not survive the decoding. */
  readFile(path: string): Promise<string>;
  /**
   * The file's exact bytes, where the sandbox can give them. apply_patch uses them to keep a
   * byte-order mark and to refuse to rewrite a file that is not UTF-8.
   */
  readFileBytes?(path: string): Promise<Uint8Array>;
  writeFile(path: string, content: string): Promise<void>;
  /** `null` when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | null>;
  mkdir(path: string): Promise<void>; // recursive: creates parents, succeeds if it exists
  rm(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

export interface SpawnOptions {
  cwd: string;
  env?: Record<string, string>;
  tty?: boolean;
}

/** A started command. Output is stdout and stderr merged, in arrival order. */
export interface SandboxProcess {
  /** Subscribes to output chunks; chunks that arrived before subscribing are replayed. */
  onOutput(listener: (chunk: string) => void): () => void;
  /** Resolves with the exit code once the process ends (also after `kill`). */
  readonly exit: Promise<number>;
  /** Rejects with a clear Error when the process does not accept input. */
  write(chars: string): Promise<void>;
  kill(): void;
}

export interface SandboxExec {
  /** Runs `command` through the sandbox's shell. Never throws for a failing command. */
  spawn(command: string, options: SpawnOptions): SandboxProcess;
}

/** What the engine's tools run against. */
export interface SandboxPort {
  fs: SandboxFs;
  exec: SandboxExec;
  /** Describes the sandbox for the model: shell name, what is and isn't available. */
  describe(): SandboxDescription;
  /**
   * What happened in the sandbox that the model has not been told yet (e.g. errors the
   * previewed pages reported), each note given once; undefined when there is none. The next
   * exec_command / write_stdin output carries it, so nothing already sent is ever edited.
   */
  takeNotes?(): string | undefined;
}

export interface SandboxDescription {
  kind: 'embedded' | 'webcontainer' | 'node';
  shell: string;
  /** The workspace root: paths outside it are refused. */
  root: string;
  /** One or two sentences for the model about what this sandbox can run. */
  notes: string;
}

// ---------------------------------------------------------------------------------- clock

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError-like Error when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
};

/**
 * Resolves after `ms`. When `signal` aborts first the timer is cleared and the promise rejects
 * with `reason(signal)`: an AbortError by default; `fetch`-like callers pass the signal's own reason.
 */
export function abortableSleep(ms: number, signal?: AbortSignal, reason: (signal: AbortSignal) => unknown = () => abortError()): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(reason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(reason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  return err;
}

// ------------------------------------------------------------------------------------ mcp

/** One tool an MCP server lists (`tools/list`), as the engine needs it. */
export interface McpToolInfo {
  /** The server's name as the person configured it. */
  server: string;
  /** The tool's own name on that server. */
  name: string;
  description?: string;
  /** The tool's JSON Schema for its arguments (an object schema). */
  inputSchema: Record<string, unknown>;
}

/** What a call returned, reduced to what goes back to the model. */
export interface McpCallResult {
  /** The result's text parts (and structured content when there is no text), joined. */
  text: string;
  /** The server reported the call as failed (`isError`). */
  isError: boolean;
  /** Images the result carried, as data URLs. */
  images?: string[];
}

/**
 * Calls tools on MCP servers (`src/mcp` implements it over Streamable HTTP). Rejects with an
 * Error whose message says what failed (not connected, no such tool, timed out, …); rejects
 * with an AbortError when `signal` aborts.
 */
export interface McpCaller {
  callTool(server: string, tool: string, args: Record<string, unknown>, options: { signal: AbortSignal }): Promise<McpCallResult>;
}
