/** What a tool is and what it gets to work with. */
import type { ApprovalDecision, ApprovalRequest, AgentEvent } from '../events';
import type { ModelCapabilities, ApprovalPolicy, SandboxMode } from '../config';
import type { Clock, SandboxPort, ToolSpec } from '../ports';
import type { CallArgs, CallDescription } from './call-description';
import type { ProcessManager } from './process-manager';
import type { UserInputAnswers, UserInputQuestion } from './request-user-input';

export interface ToolContext {
  sandbox: SandboxPort;
  /** The session's working directory (absolute). */
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  callId: string;
  signal: AbortSignal;
  clock: Clock;
  /** Long-running processes of this session (exec_command / write_stdin). */
  processes: ProcessManager;
  /** Asks the user; resolves with their decision. Rejects with AbortError if the turn aborts. */
  requestApproval(request: Omit<ApprovalRequest, 'id' | 'call_id'>): Promise<ApprovalDecision>;
  /**
   * Asks the person questions (`request_user_input`); absent where nobody can answer (the
   * headless runner). Rejects with AbortError if the turn aborts.
   */
  askUser?(questions: UserInputQuestion[]): Promise<UserInputAnswers>;
  emit(event: AgentEvent): void;
}

export interface ToolResult {
  output: string;
  /** false when the tool failed (bad input, refused, error); a failing command is still success. */
  success: boolean;
  exitCode?: number;
  /** Images (data URLs) the call produced; the model sees them in a message after the round's outputs. */
  images?: string[];
}

export interface Tool {
  name: string;
  /** The spec sent to the model; must be identical for identical capabilities. */
  spec(capabilities: ModelCapabilities): ToolSpec;
  /** Whether calls may run concurrently with other parallel-safe calls. */
  parallelSafe: boolean;
  /**
   * Runs one call. `input` is the raw `arguments` JSON (function tools) or the free text
   * (custom tools). Must not throw: bad input and failures come back as `success:false`
   * results whose output tells the model what went wrong.
   */
  run(input: string, ctx: ToolContext): Promise<ToolResult>;
  /**
   * How a call is shown (see `describeToolCall`): `args` is the input's JSON object, null when
   * it is none; `input` the text as sent. Must not throw. Absent: shown by name and input.
   */
  describe?(args: CallArgs, input: string): CallDescription;
  /** Set on tools an MCP server provides: which server and which of its tools. */
  mcp?: { server: string; tool: string };
  /** Set on tools the Responses server runs itself (`web_search`): never called here. */
  hosted?: boolean;
}
