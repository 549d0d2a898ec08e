/**
 * The real loop wired to real adapters for tests: the openai SDK over HTTP to the scripted
 * server, and just-bash as the sandbox. The only stand-in is the clock, so retry backoff
 * is recorded instead of slept (an explicit injected object).
 */
import { Bash } from 'just-bash';
import { expect } from 'vitest';
import { defaultConfig, type SessionConfig } from '../../src/core/config';
import type { AgentEvent } from '../../src/core/events';
import { pairingProblems } from '../../src/core/history';
import { Agent, type AgentOptions } from '../../src/core/loop';
import { abortError, systemClock, type Clock } from '../../src/core/ports';
import { createModelClient, type ModelClientOptions } from '../../src/model/client';
import { startScriptedServer, type LoggedRequest, type ScriptedServer, type ScriptedServerOptions } from '../../src/model/scripted/server';
import type { Script } from '../../src/model/scripted/types';
import { createJustBashPort } from '../../src/sandbox/just-bash-port';
import { requestProblems, type LoggedBody } from './invariants';

export const ROOT = '/workspace';

/**
 * For retry waits: remembers how long it was asked to wait. By default it returns at once;
 * with `wait: true` it really sleeps (abortably, through the system clock), so a test can
 * interrupt a turn in the middle of a backoff.
 */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  readonly #wait: boolean;
  constructor(options: { wait?: boolean } = {}) {
    this.#wait = options.wait ?? false;
  }
  now(): number {
    return Date.now();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) throw abortError();
    if (this.#wait) return systemClock.sleep(ms, signal);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw abortError();
  }
}

export interface HarnessOptions {
  script: Script;
  files?: Record<string, string>;
  config?: Partial<SessionConfig>;
  client?: Partial<ModelClientOptions>;
  agent?: Partial<AgentOptions>;
  eventDelayMs?: number;
  requireKey?: string;
  /** Retry backoff really waits (abortably) instead of returning at once. */
  realRetryWaits?: boolean;
  /** Scripted server options: its context window, whether it has `/responses/compact`. */
  server?: Pick<ScriptedServerOptions, 'contextWindow' | 'compactEndpoint' | 'quirks'>;
}

export interface Harness {
  server: ScriptedServer;
  agent: Agent;
  bash: Bash;
  clock: RecordingClock;
  events: AgentEvent[];
  /** Every POST /responses as the server logged it (headers and parsed body), in order. */
  requests(): LoggedRequest[];
  /** The JSON bodies of every POST /responses, in order. */
  bodies(): LoggedBody[];
  /** Prefix, pairing and no-edit problems across every request so far (empty = fine). */
  problems(): string[];
  readFile(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const server = await startScriptedServer({
    script: options.script,
    eventDelayMs: options.eventDelayMs ?? 0,
    ...(options.requireKey ? { requireKey: options.requireKey } : {}),
    ...options.server,
  });
  const bash = new Bash({ files: prefixed(options.files ?? {}), cwd: ROOT });
  await bash.fs.mkdir(ROOT, { recursive: true });
  const sandbox = createJustBashPort({ bash, root: ROOT, kind: 'embedded' });
  const clock = new RecordingClock({ wait: options.realRetryWaits ?? false });
  const model = createModelClient({ baseURL: server.url, apiKey: 'sk-test', ...options.client });
  const agent = new Agent({
    model,
    sandbox,
    retryClock: clock,
    sessionId: 'session-test',
    random: () => 0.5,
    config: defaultConfig({ cwd: ROOT, timezone: 'UTC', ...options.config }),
    ...options.agent,
  });
  const events: AgentEvent[] = [];
  agent.on((event) => events.push(event));
  const requests = () => server.requests.filter((r) => r.method === 'POST' && /\/responses(\?|$)/.test(r.path));
  const bodies = () => requests().map((r) => r.body as LoggedBody);
  return {
    server,
    agent,
    bash,
    clock,
    events,
    requests,
    bodies,
    problems: () => requestProblems(bodies()),
    readFile: (path) => bash.fs.readFile(path.startsWith('/') ? path : `${ROOT}/${path}`, 'utf8'),
    close: async () => {
      agent.dispose();
      await server.close();
    },
  };
}

function prefixed(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, content]) => [path.startsWith('/') ? path : `${ROOT}/${path}`, content]));
}

export function eventsOf<T extends AgentEvent['type']>(events: readonly AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}

/**
 * A retry must resend exactly the same request: every attempt after the first of a round is
 * compared with that round's first attempt, body and headers as the server logged them, and
 * each logged body with the `request` its `request_started` event reported. Assumes every
 * attempt reached the server (true unless a test interrupts before sending).
 */
/** The request-level promises every fault test checks, whatever the outcome: sound bodies, paired calls, honest retries. */
export function expectSoundRequests(h: Harness): void {
  expect(h.problems()).toEqual([]);
  expect(pairingProblems(h.agent.history.items)).toEqual([]);
  expect(retryProblems(h)).toEqual([]);
}

export function retryProblems(h: Harness): string[] {
  const started = eventsOf(h.events, 'request_started');
  const logged = h.requests();
  if (started.length !== logged.length) return [`${started.length} attempts started but the server saw ${logged.length} requests`];
  const problems: string[] = [];
  let first: LoggedRequest | undefined;
  started.forEach((event, i) => {
    const request = logged[i]!;
    const where = `request ${i} (round ${event.round}, attempt ${event.attempt})`;
    if (JSON.stringify(request.body) !== JSON.stringify(event.request)) problems.push(`${where}: body differs from the reported request`);
    if (event.attempt === 1) {
      first = request;
      return;
    }
    if (!first) return void problems.push(`${where}: a retry without a first attempt`);
    if (JSON.stringify(request.body) !== JSON.stringify(first.body)) problems.push(`${where}: body differs from attempt 1`);
    if (JSON.stringify(request.headers) !== JSON.stringify(first.headers)) problems.push(`${where}: headers differ from attempt 1`);
  });
  return problems;
}
