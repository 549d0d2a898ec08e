/**
 * Prints agent events as a readable terminal transcript.
 *
 * Layout contract: every reasoning summary, assistant message (commentary or final answer),
 * tool call (with its approval and result), plan, retry notice, compaction and the closing
 * usage line is a block of its own, separated from the previous block by one blank line. Errors are
 * not printed here: the runner reports them once, on stderr.
 */
import type { AgentEvent } from '../src/core/events';
import { messageText, type ReasoningItem, type ToolCallItem } from '../src/core/items';
import { describeCall } from '../src/core/tools/describe';

export interface TranscriptOptions {
  write(text: string): void;
  color: boolean;
  /** Print tool output (long output keeps its first and last lines, `maxOutputLines` in all). */
  showOutput: boolean;
  maxOutputLines?: number;
  /** The session's working directory: an exec_command `workdir` equal to it is not shown. */
  cwd?: string;
}

export function createTranscript(options: TranscriptOptions): (event: AgentEvent) => void {
  const paint = (code: string) => (text: string) => (options.color && text ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = paint('2');
  const bold = paint('1');
  const cyan = paint('36');
  const red = paint('31');
  const yellow = paint('33');

  let wroteAnything = false;
  let midLine = false;
  /** Key of the block being written; a different key starts a new block. */
  let block: string | undefined;
  /** Texts shown live in the current attempt, claimed when their item reaches history. */
  let shownLive: string[] = [];
  const streamed = new Map<string, string>();
  const headers = new Map<string, string>();
  const approvalCalls = new Map<string, string>();
  let compactions = 0;

  const write = (text: string) => {
    if (!text) return;
    options.write(text);
    wroteAnything = true;
    midLine = !text.endsWith('\n');
  };
  const line = (text: string) => {
    if (midLine) write('\n');
    write(`${text}\n`);
  };
  const open = (key: string) => {
    if (block === key) return;
    if (midLine) write('\n');
    if (wroteAnything) write('\n');
    block = key;
  };
  /** Joins the tool's block again, repeating its header when something else came in between. */
  const openTool = (callId: string) => {
    const key = `tool:${callId}`;
    if (block === key) return;
    open(key);
    line(dim(`↳ ${headers.get(callId) ?? callId}`));
  };
  const claim = (text: string): boolean => {
    const at = shownLive.indexOf(text);
    if (at >= 0) shownLive.splice(at, 1);
    return at >= 0;
  };
  const printReasoning = (item: ReasoningItem) => {
    const text = reasoningText(item);
    if (!text) return;
    open(`reasoning:${text}`);
    text.split('\n').forEach((l, i) => line(i > 0 && !l ? '' : dim(`${i === 0 ? '· ' : '  '}${emphasis(l, options.color)}`)));
  };

  return (event) => {
    switch (event.type) {
      case 'request_started':
        // A retried attempt streams its output again; only this attempt's text counts as shown.
        shownLive = [];
        streamed.clear();
        break;
      case 'text_delta': {
        const key = `message:${event.round}:${event.output_index}`;
        open(key);
        write(event.delta);
        streamed.set(key, (streamed.get(key) ?? '') + event.delta);
        break;
      }
      case 'output_item_done':
        if (event.item.type === 'message') {
          const text = streamed.get(`message:${event.round}:${event.output_index}`);
          if (text !== undefined) shownLive.push(text);
          if (midLine) write('\n');
        } else if (event.item.type === 'reasoning') {
          printReasoning(event.item);
          shownLive.push(reasoningText(event.item));
        }
        break;
      case 'item_appended': {
        // Servers that stream no deltas (or skip output_item.done) still get their output shown.
        const item = event.item;
        if (item.type === 'message' && item.role === 'assistant') {
          const text = messageText(item);
          if (text && !claim(text)) {
            open(`message:appended:${event.index}`);
            line(text.replace(/\n+$/, ''));
          }
        } else if (item.type === 'reasoning' && !claim(reasoningText(item))) {
          printReasoning(item);
        }
        break;
      }
      case 'tool_started': {
        const header = callHeader(event.call, options.cwd);
        headers.set(event.call.call_id, header);
        open(`tool:${event.call.call_id}`);
        line(cyan('▶ ') + header);
        break;
      }
      case 'approval_requested':
        approvalCalls.set(event.request.id, event.request.call_id);
        openTool(event.request.call_id);
        line(yellow(`  ? needs approval: ${event.request.reason}`));
        break;
      case 'approval_resolved': {
        const callId = approvalCalls.get(event.request_id);
        if (callId !== undefined) openTool(callId);
        const text = `  ${event.decision === 'deny' ? '✗ denied' : event.decision === 'approve' ? '✓ approved' : '✓ approved for this session'}`;
        line(event.decision === 'deny' ? red(text) : dim(text));
        break;
      }
      case 'tool_finished': {
        openTool(event.call_id);
        const { body, status } = splitExecOutput(event.output);
        if (options.showOutput && body.trim()) {
          for (const l of clip(body.trimEnd().split('\n'), options.maxOutputLines ?? 20)) line(dim(`  │ ${l}`));
        }
        const time = `${event.duration_ms} ms`;
        if (!event.success) line(red(`  ✗ failed · ${time}`));
        else if (event.exit_code !== undefined && event.exit_code !== 0) line(red(`  ✗ exit ${event.exit_code} · ${time}`));
        else line(dim(`  ✓ ${status ? `${status} · ` : ''}${time}`));
        break;
      }
      case 'plan_updated':
        open(`plan:${JSON.stringify(event.plan)}`);
        line(bold('Plan:') + (event.explanation ? ` ${event.explanation}` : ''));
        for (const step of event.plan) line(`  ${step.status === 'completed' ? '☑' : step.status === 'in_progress' ? '▸' : '☐'} ${step.step}`);
        break;
      case 'round_retry':
        open(`retry:${event.round}:${event.attempt}`);
        line(yellow(`↻ ${event.error.message} — retrying in ${event.delay_ms} ms`));
        break;
      case 'capability_dropped':
        open(`dropped:${event.round}:${event.feature}`);
        line(
          yellow(
            `↻ ${event.error.message} — ${event.feature === 'custom_tools' ? 'sending apply_patch as a function tool' : event.feature === 'web_search' ? 'leaving web search out' : 'leaving reasoning out'} from now on`,
          ),
        );
        break;
      case 'compaction_started':
        open(`compaction:${++compactions}`);
        line(dim(`⇣ compacting the conversation (${event.reason}, ${event.mode}): ${event.items_before} items, ≈${event.tokens_before} tokens`));
        break;
      case 'compaction_finished':
        open(`compaction:${compactions}`);
        line(dim(`  ✓ ${event.items_after} items, ≈${event.tokens_after} tokens${event.mode === 'local' ? ' (hand-off note)' : ''}`));
        break;
      case 'turn_ended': {
        const u = event.usage;
        open('end');
        line(
          dim(
            `— ${event.reason}: ${u.requests} request${u.requests === 1 ? '' : 's'}, ` +
              `${u.input_tokens} input tokens (${u.cached_tokens} cached), ${u.output_tokens} output`,
          ),
        );
        break;
      }
      default:
        break;
    }
  };
}

function reasoningText(item: ReasoningItem): string {
  return item.summary
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join('\n\n');
}

/** `**bold**` markdown as terminal bold (or plain text without colour). */
function emphasis(text: string, color: boolean): string {
  return text.replace(/\*\*(.+?)\*\*/g, (_m, inner: string) => (color ? `\x1b[1m${inner}\x1b[22m` : inner));
}

/** Keeps the first and last lines of long output; errors tend to be at the end. */
function clip(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [...lines.slice(0, head), `… ${lines.length - max} more lines …`, ...lines.slice(lines.length - tail)];
}

/** exec_command's header lines (wall time, exit code, …) folded into a short status. */
export function splitExecOutput(output: string): { body: string; status?: string } {
  const match =
    /^(?:Chunk ID: [^\n]*\n)?Wall time: [^\n]*\n(?:Process exited with code (-?\d+)|Process running with session ID (\d+))\n(?:Original token count: \d+\n)?Output:\n?(?:Total output lines: \d+\n\n)?/.exec(
      output,
    );
  if (!match) return { body: output };
  const status = match[2] !== undefined ? `still running as session ${match[2]}` : `exit ${match[1]}`;
  return { body: output.slice(match[0].length), status };
}

/**
 * One line naming the call: its tool and what it does (see core/tools/describe.ts); a
 * command's first line, with the directory it runs in when that is not `cwd`.
 */
export function callHeader(call: ToolCallItem, cwd?: string): string {
  const { summary, detail } = describeCall(call);
  if (detail?.kind === 'exec_command') {
    const [first = '', ...more] = detail.command.split('\n');
    const where = detail.workdir && detail.workdir !== cwd ? ` (in ${detail.workdir})` : '';
    return `exec_command $ ${first}${more.length ? ` … (+${more.length} lines)` : ''}${where}`;
  }
  return summary ? `${call.name} ${preview(summary)}` : call.name;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}
