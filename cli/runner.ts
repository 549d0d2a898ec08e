/**
 * The headless runner: one agent turn on a real directory, transcript to a stream.
 * Same engine as the tab; the sandbox is just-bash over the directory.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { defaultConfig } from '../src/core/config';
import type { ApprovalDecision, AgentEvent } from '../src/core/events';
import { Agent, type TurnResult } from '../src/core/loop';
import type { ModelClient } from '../src/core/ports';
import { createModelClient } from '../src/model/client';
import { capabilitiesFor, getPreset, presetForBaseURL } from '../src/model/providers';
import { createScriptedFetch, DEFAULT_SCRIPTED_MODEL_ID, demoScript, ScriptedModel } from '../src/model/scripted/index';
import { createNodeSandbox, NODE_SANDBOX_ROOT } from '../src/sandbox/node-bash';
import type { RunnerArgs } from './args';
import { createTranscript } from './transcript';

export interface RunnerIO {
  stdout: { write(text: string): void; isTTY?: boolean };
  stderr: { write(text: string): void };
  /** Asks the user about an approval; absent when nobody can answer (then: deny). */
  ask?: (question: string) => Promise<string>;
  signal?: AbortSignal;
}

export interface RunnerOutcome {
  exitCode: number;
  result: TurnResult;
}

export async function runAgent(args: RunnerArgs, io: RunnerIO): Promise<RunnerOutcome> {
  const { model, modelName, capabilities } = modelFor(args);
  const sandbox = createNodeSandbox(args.cwd);
  const agent = new Agent({
    model,
    sandbox,
    sessionId: randomUUID(),
    config: defaultConfig({
      model: modelName,
      capabilities,
      approvalPolicy: args.approval,
      sandboxMode: args.sandbox,
      cwd: NODE_SANDBOX_ROOT,
      ...(args.effort ? { reasoningEffort: args.effort } : {}),
    }),
  });

  const print = args.json
    ? (event: AgentEvent) => io.stdout.write(`${JSON.stringify(event)}\n`)
    : args.quiet
      ? () => {}
      : createTranscript({ write: (t) => io.stdout.write(t), color: Boolean(io.stdout.isTTY), showOutput: true });
  agent.on(print);
  agent.on((event) => {
    if (event.type !== 'approval_requested') return;
    void answerApproval(event.request.kind, event.request.subject, io).then((decision) =>
      agent.respondToApproval(event.request.id, decision),
    );
  });

  try {
    const result = await agent.runTurn(args.prompt, io.signal ? { signal: io.signal } : {});
    if (args.quiet && result.lastMessage) io.stdout.write(`${result.lastMessage}\n`);
    if (result.reason === 'completed' && result.lastMessage !== undefined) return { exitCode: 0, result };
    const why =
      result.reason === 'aborted'
        ? 'interrupted'
        : result.error
          ? `${result.error.kind}: ${result.error.message}`
          : 'the turn ended without an assistant message';
    io.stderr.write(`unroll: ${why}\n`);
    return { exitCode: result.reason === 'aborted' ? 130 : 1, result };
  } finally {
    agent.dispose();
  }
}

function modelFor(args: RunnerArgs): { model: ModelClient; modelName: string; capabilities: ReturnType<typeof capabilitiesFor> } {
  if (args.demo) {
    const fetch = createScriptedFetch(new ScriptedModel(demoScript), { eventDelayMs: 4 });
    const modelName = args.model ?? DEFAULT_SCRIPTED_MODEL_ID;
    return {
      model: createModelClient({ baseURL: 'https://demo.unroll.invalid/v1', fetch, compact: true }),
      modelName,
      capabilities: { customTools: true, reasoning: true, compact: true },
    };
  }
  const presetId = args.provider ?? (args.baseURL ? presetForBaseURL(args.baseURL) : 'openai');
  const preset = getPreset(presetId);
  const baseURL = args.baseURL ?? preset.baseURL;
  const modelName = args.model ?? preset.defaultModel;
  return {
    model: createModelClient({
      baseURL,
      preset: presetId,
      ...(args.apiKey ? { apiKey: args.apiKey } : {}),
      headers: args.headers,
      query: args.query,
    }),
    modelName,
    capabilities: capabilitiesFor(presetId, modelName),
  };
}

async function answerApproval(kind: 'exec' | 'patch', subject: string, io: RunnerIO): Promise<ApprovalDecision> {
  const what = kind === 'exec' ? `run \`${subject}\`` : `apply this patch:\n${subject}`;
  if (!io.ask) {
    io.stderr.write(`unroll: denied a request to ${kind === 'exec' ? `run \`${subject}\`` : 'apply a patch'} (no terminal to ask; use --approval never to allow everything)\n`);
    return 'deny';
  }
  const answer = (await io.ask(`Allow the agent to ${what}? [y]es / [a]lways this session / [n]o: `)).trim().toLowerCase();
  if (answer === 'a' || answer === 'always') return 'approve_for_session';
  if (answer === 'y' || answer === 'yes') return 'approve';
  return 'deny';
}

/** A question asker on the process's terminal, or undefined when stdin is not a terminal. */
export function terminalAsker(): ((q: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
