/**
 * The real loop wired to real adapters for tests: the openai SDK over HTTP to the scripted
 * server, and just-bash as the sandbox. The only stand-in is the clock, so retry backoff
 * is recorded instead of slept (an explicit injected object).
 */
import { Bash } from 'just-bash';
import { defaultConfig, type SessionConfig } from '../../src/core/config';
import type { AgentEvent } from '../../src/core/events';
import { Agent, type AgentOptions } from '../../src/core/loop';
import { abortError, type Clock } from '../../src/core/ports';
import { createModelClient, type ModelClientOptions } from '../../src/model/client';
import { startScriptedServer, type ScriptedServer } from '../../src/model/scripted/server';
import type { Script } from '../../src/model/scripted/types';
import { createJustBashPort } from '../../src/sandbox/just-bash-port';
import { requestProblems, type LoggedBody } from './invariants';

export const ROOT = '/workspace';

/** For retry waits: returns at once and remembers how long it was asked to wait. */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  now(): number {
    return Date.now();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) throw abortError();
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
}

export interface Harness {
  server: ScriptedServer;
  agent: Agent;
  bash: Bash;
  clock: RecordingClock;
  events: AgentEvent[];
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
  });
  const bash = new Bash({ files: prefixed(options.files ?? {}), cwd: ROOT });
  await bash.fs.mkdir(ROOT, { recursive: true });
  const sandbox = createJustBashPort({ bash, root: ROOT, kind: 'embedded' });
  const clock = new RecordingClock();
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
  const bodies = () =>
    server.requests.filter((r) => r.method === 'POST' && /\/responses(\?|$)/.test(r.path)).map((r) => r.body as LoggedBody);
  return {
    server,
    agent,
    bash,
    clock,
    events,
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
