/**
 * Hand-driven stand-ins for the sandbox's process API (injected objects, not module mocks),
 * plus a ToolContext builder for the command-tool tests.
 */
import type { ApprovalDecision, ApprovalRequest, AgentEvent } from '../../src/core/events';
import type { ApprovalPolicy, SandboxMode } from '../../src/core/config';
import {
  abortError,
  systemClock,
  type Clock,
  type SandboxExec,
  type SandboxPort,
  type SandboxProcess,
  type SpawnOptions,
} from '../../src/core/ports';
import { ProcessManager } from '../../src/core/tools/process-manager';
import type { ToolContext } from '../../src/core/tools/types';

export interface FakeProcessOptions {
  /** Written characters come back as output, like a terminal echoing `cat`. */
  echo?: boolean;
  /** When false, `write` rejects like a sandbox without stdin. */
  acceptsInput?: boolean;
  /** Exit code reported after `kill` (default 130). */
  killCode?: number;
}

export class FakeProcess implements SandboxProcess {
  readonly exit: Promise<number>;
  readonly written: string[] = [];
  killed = false;
  exited = false;
  readonly #chunks: string[] = [];
  readonly #listeners = new Set<(chunk: string) => void>();
  #resolveExit: (code: number) => void = () => {};

  readonly #options: FakeProcessOptions;

  constructor(options: FakeProcessOptions = {}) {
    this.#options = options;
    this.exit = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  onOutput(listener: (chunk: string) => void): () => void {
    for (const chunk of this.#chunks) listener(chunk);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async write(chars: string): Promise<void> {
    if (this.#options.acceptsInput === false) throw new Error('this process takes no input');
    if (this.exited) throw new Error('process has exited');
    this.written.push(chars);
    if (this.#options.echo) this.emit(chars);
  }

  kill(): void {
    if (this.exited) return;
    this.killed = true;
    this.finish(this.#options.killCode ?? 130);
  }

  /** Produces output as if the command printed it. */
  emit(chunk: string): void {
    if (this.exited) return;
    this.#chunks.push(chunk);
    for (const listener of this.#listeners) listener(chunk);
  }

  finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.#resolveExit(code);
  }

  /** Emits `chunks` one by one, `intervalMs` apart; resolves after the last one. */
  async emitOverTime(chunks: string[], intervalMs: number): Promise<void> {
    for (const chunk of chunks) {
      await new Promise((r) => setTimeout(r, intervalMs));
      this.emit(chunk);
    }
  }
}

export interface SpawnRecord {
  command: string;
  options: SpawnOptions;
  process: FakeProcess;
}

/** Spawns FakeProcesses made by `factory` (a fresh one each time by default) and records calls. */
export class FakeExec implements SandboxExec {
  readonly spawned: SpawnRecord[] = [];

  readonly #factory: (command: string) => FakeProcess;

  constructor(factory: (command: string) => FakeProcess = () => new FakeProcess()) {
    this.#factory = factory;
  }

  spawn(command: string, options: SpawnOptions): FakeProcess {
    const process = this.#factory(command);
    this.spawned.push({ command, options, process });
    return process;
  }
}

export function fakeSandbox(exec: SandboxExec, root = '/workspace'): SandboxPort {
  const unused = () => Promise.reject(new Error('fs is not used by this fake'));
  return {
    fs: { readFile: unused, writeFile: unused, stat: unused, mkdir: unused, rm: unused, readdir: unused },
    exec,
    describe: () => ({ kind: 'embedded', shell: 'fake', root, notes: 'A fake sandbox for tests.' }),
  };
}

/**
 * A clock whose sleeps finish at once (unless aborted) and advance `now` by their length, so
 * yield windows cost no real time; `sleeps` records every requested duration.
 */
export class InstantClock implements Clock {
  readonly sleeps: number[] = [];
  #time = 0;

  now(): number {
    return this.#time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        this.#time += ms;
        resolve();
      }, 0);
    });
  }
}

export type ApprovalAsk = Omit<ApprovalRequest, 'id' | 'call_id'>;

export interface ContextOptions {
  sandbox: SandboxPort;
  approvalPolicy?: ApprovalPolicy;
  sandboxMode?: SandboxMode;
  cwd?: string;
  clock?: Clock;
  processes?: ProcessManager;
  signal?: AbortSignal;
  callId?: string;
  /** Answers approval requests; by default any request fails the test. */
  decide?: (request: ApprovalAsk) => ApprovalDecision | Promise<ApprovalDecision>;
}

export interface TestContext {
  ctx: ToolContext;
  events: AgentEvent[];
  approvals: ApprovalAsk[];
  /** The text of this call's tool_output_delta events, concatenated. */
  deltas(): string;
}

export function makeContext(options: ContextOptions): TestContext {
  const events: AgentEvent[] = [];
  const approvals: ApprovalAsk[] = [];
  const callId = options.callId ?? 'call_1';
  const ctx: ToolContext = {
    sandbox: options.sandbox,
    cwd: options.cwd ?? '/workspace',
    approvalPolicy: options.approvalPolicy ?? 'never',
    sandboxMode: options.sandboxMode ?? 'workspace-write',
    callId,
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? systemClock,
    processes: options.processes ?? new ProcessManager(),
    requestApproval: async (request) => {
      approvals.push(request);
      if (!options.decide) throw new Error(`unexpected approval request for ${request.subject}`);
      return options.decide(request);
    },
    emit: (event) => events.push(event),
  };
  const deltas = () =>
    events
      .filter((e): e is Extract<AgentEvent, { type: 'tool_output_delta' }> => e.type === 'tool_output_delta')
      .filter((e) => e.call_id === callId)
      .map((e) => e.chunk)
      .join('');
  return { ctx, events, approvals, deltas };
}
