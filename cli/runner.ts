/**
 * The headless runner: one agent turn on a real directory, transcript to a stream.
 * Same engine as the tab; the sandbox is just-bash over the directory.
 *
 * Output contract: stdout carries the transcript (or JSON lines, or only the final message);
 * stderr carries notes for the person at the terminal and, when the turn does not end with
 * an answer, exactly one line naming the problem.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { defaultConfig, type ModelCapabilities } from '../src/core/config';
import type { AgentEvent, ApprovalDecision, ApprovalRequest } from '../src/core/events';
import { Agent, type TurnResult } from '../src/core/loop';
import type { ModelClient } from '../src/core/ports';
import { mcpTools } from '../src/core/tools/mcp';
import { defaultTools } from '../src/core/tools/registry';
import { createDemoModel, createEndpointModel } from '../src/model/factory';
import { capabilitiesFor, getPreset, presetForBaseURL } from '../src/model/providers';
import { createNodeSandbox, NODE_SANDBOX_ROOT } from '../src/sandbox/node-bash';
import type { RunnerArgs } from './args';
import { connectMcpServers } from './mcp';
import { createTranscript } from './transcript';

export interface RunnerIO {
  stdout: { write(text: string): void; isTTY?: boolean };
  stderr: { write(text: string): void };
  /**
   * Asks the user about an approval and returns the typed answer; absent when nobody can
   * answer (then every request is denied). `signal` aborts when the turn is interrupted.
   */
  ask?: (question: string, signal?: AbortSignal) => Promise<string>;
  signal?: AbortSignal;
}

export interface RunnerOutcome {
  exitCode: number;
  /** Absent when the run stopped before the turn started (exit code 2). */
  result?: TurnResult;
}

export async function runAgent(args: RunnerArgs, io: RunnerIO): Promise<RunnerOutcome> {
  const chosen = await modelFor(args, io);
  if ('problem' in chosen) {
    io.stderr.write(`unroll: ${chosen.problem}\n`);
    return { exitCode: 2 };
  }
  const { model, modelName, capabilities } = chosen;
  const hub = args.mcp?.length ? await connectMcpServers(args.mcp, io.stderr, args.quiet) : undefined;
  // Nobody can answer request_user_input here; MCP tools follow the built-ins.
  const tools = () => [...defaultTools({ questions: false }), ...(hub ? mcpTools(hub.tools(), hub) : [])];
  const agent = new Agent({
    model,
    sandbox: createNodeSandbox(args.cwd),
    sessionId: randomUUID(),
    tools: tools(),
    // Project skills under --cwd are found by the engine; the runner adds no built-in ones.
    skills: { roots: [] },
    config: defaultConfig({
      model: modelName,
      capabilities,
      approvalPolicy: args.approval,
      sandboxMode: args.sandbox,
      cwd: NODE_SANDBOX_ROOT,
      // just-bash 3.4.2 deadlocks when two commands write to one ReadWriteFs at the same
      // time (the second never exits), so tool calls run one after another here.
      parallelToolCalls: false,
      ...(args.effort ? { reasoningEffort: args.effort } : {}),
      ...(args.contextWindow !== undefined ? { contextWindow: args.contextWindow } : {}),
      ...(args.autoCompactLimit !== undefined ? { autoCompactLimit: args.autoCompactLimit } : {}),
    }),
  });

  const print = args.json
    ? (event: AgentEvent) => io.stdout.write(`${JSON.stringify(event)}\n`)
    : args.quiet
      ? () => {}
      : createTranscript({ write: (t) => io.stdout.write(t), color: Boolean(io.stdout.isTTY), showOutput: true, cwd: NODE_SANDBOX_ROOT });
  agent.on(print);
  // A server's changed list waits for a prefix break (a compaction) rather than breaking the cache.
  hub?.onChange(() => agent.tools.offer(tools()));

  // One question at a time: parallel tool calls may ask together, the terminal cannot.
  let asking: Promise<unknown> = Promise.resolve();
  agent.on((event) => {
    if (event.type !== 'approval_requested') return;
    const { request } = event;
    const answered = asking.then(() => decide(request, io, args.json || args.quiet));
    asking = answered;
    void answered.then((decision) => agent.respondToApproval(request.id, decision));
  });

  try {
    const result = await agent.runTurn(args.prompt, io.signal ? { signal: io.signal } : {});
    if (args.quiet && result.lastMessage !== undefined) io.stdout.write(`${result.lastMessage}\n`);
    if (result.reason === 'completed' && result.lastMessage !== undefined) return { exitCode: 0, result };
    io.stderr.write(`unroll: ${failureLine(result)}\n`);
    return { exitCode: result.reason === 'aborted' ? 130 : 1, result };
  } finally {
    agent.dispose();
    await hub?.close();
  }
}

/** The one stderr line for a turn that ended without an answer. */
function failureLine(result: TurnResult): string {
  if (result.reason === 'aborted') return 'interrupted';
  if (!result.error) return 'the turn ended without an assistant message';
  let message = result.error.message;
  // The engine's auth hint points at the tab's Settings; here the key comes from options.
  if (result.error.kind === 'auth') message = `${message.replace(/\s*Check the key in Settings\.?$/, '')} Check --api-key or $OPENAI_API_KEY.`;
  return `${result.error.kind}: ${message}`.replace(/\s*\n\s*/g, ' ');
}

type ChosenModel = { model: ModelClient; modelName: string; capabilities: ModelCapabilities } | { problem: string };

async function modelFor(args: RunnerArgs, io: RunnerIO): Promise<ChosenModel> {
  if (args.demo) {
    if (!args.quiet) io.stderr.write('unroll: using the offline demo model (give --api-key or --base-url to use a real one)\n');
    const demo = createDemoModel({ eventDelayMs: 4 });
    return { model: demo.client, modelName: args.model ?? demo.model, capabilities: demo.capabilities };
  }
  const presetId = args.provider ?? (args.baseURL ? presetForBaseURL(args.baseURL) : 'openai');
  const baseURL = args.baseURL ?? getPreset(presetId).baseURL;
  const endpoint = createEndpointModel({
    preset: presetId,
    baseURL,
    ...(args.apiKey ? { apiKey: args.apiKey } : {}),
    ...(args.model ? { model: args.model } : {}),
    headers: args.headers,
    query: args.query,
  });
  const client = endpoint.client;
  let modelName = endpoint.model;
  if (!modelName) {
    // A custom server has no default model name; the one it lists first is the best guess.
    try {
      modelName = (await client.listModels(io.signal ? { signal: io.signal } : {}))[0] ?? '';
    } catch (err) {
      return { problem: `no --model given and ${baseURL}/models could not be read (${(err as Error).message}); pass --model NAME` };
    }
    if (!modelName) return { problem: `no --model given and ${baseURL}/models lists no models; pass --model NAME` };
    if (!args.quiet) io.stderr.write(`unroll: using model ${modelName}, the first the server lists (choose one with --model)\n`);
  }
  return { model: client, modelName, capabilities: capabilitiesFor(presetId, modelName) };
}

/** Asks the user; anything but a clear yes is a no. Never rejects. */
async function decide(request: ApprovalRequest, io: RunnerIO, withReason: boolean): Promise<ApprovalDecision> {
  const action = request.kind === 'exec' ? `run \`${request.subject}\`` : request.kind === 'mcp' ? `call ${request.subject}` : 'apply a patch';
  if (io.signal?.aborted) return 'deny';
  if (!io.ask) {
    io.stderr.write(`unroll: denied a request to ${action}: no terminal to ask (use --approval never to run without asking)\n`);
    return 'deny';
  }
  const question =
    request.kind === 'exec'
      ? `Run \`${request.subject}\` in ${request.cwd}? [y]es / [a]lways this command / [n]o: `
      : request.kind === 'mcp'
        ? `Call the MCP tool ${request.subject}? [y]es / [a]lways this tool / [n]o: `
        : `${request.subject.replace(/\n?$/, '\n')}Apply this patch? [y]es / [a]lways, for every patch / [n]o: `;
  let answer: string;
  try {
    // The transcript already shows the reason; without one, the question carries it.
    answer = await io.ask(withReason ? `${request.reason}\n${question}` : question, io.signal);
  } catch (err) {
    if (!io.signal?.aborted) io.stderr.write(`unroll: denied a request to ${action}: ${(err as Error)?.message ?? String(err)}\n`);
    return 'deny';
  }
  const normalized = answer.trim().toLowerCase();
  if (normalized === 'a' || normalized === 'always') return 'approve_for_session';
  if (normalized === 'y' || normalized === 'yes') return 'approve';
  return 'deny';
}

/**
 * A question asker on the process's terminal, or undefined when stdin is not a terminal.
 * While a question is open the terminal is in raw mode and Ctrl+C reaches readline rather
 * than the process, so it is forwarded to `onInterrupt`; Ctrl+D counts as "no".
 */
export function terminalAsker(onInterrupt: () => void): ((q: string, signal?: AbortSignal) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question, signal) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', onInterrupt);
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    try {
      return await Promise.race([rl.question(question, signal ? { signal } : {}), closed]);
    } finally {
      rl.close();
    }
  };
}
