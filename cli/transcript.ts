/** Prints agent events as a readable terminal transcript. */
import type { AgentEvent } from '../src/core/events';

export interface TranscriptOptions {
  write(text: string): void;
  color: boolean;
  /** Print tool output (truncated to `maxOutputLines`). */
  showOutput: boolean;
  maxOutputLines?: number;
}

export function createTranscript(options: TranscriptOptions): (event: AgentEvent) => void {
  const paint = (code: string) => (text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = paint('2');
  const bold = paint('1');
  const cyan = paint('36');
  const red = paint('31');
  const yellow = paint('33');
  let midLine = false;
  const line = (text: string) => {
    if (midLine) options.write('\n');
    midLine = false;
    options.write(`${text}\n`);
  };

  return (event) => {
    switch (event.type) {
      case 'text_delta':
        options.write(event.delta);
        midLine = !event.delta.endsWith('\n');
        break;
      case 'output_item_done':
        if (event.item.type === 'message' && midLine) line('');
        if (event.item.type === 'reasoning') {
          const summary = event.item.summary.map((s) => s.text).join(' ').trim();
          if (summary) line(dim(`· ${summary}`));
        }
        break;
      case 'tool_started': {
        const call = event.call;
        if (call.type === 'custom_tool_call') line(cyan(`▶ ${call.name}`) + dim(` (${call.input.split('\n').length} lines)`));
        else line(cyan(`▶ ${call.name} `) + describeArguments(call.name, call.arguments));
        break;
      }
      case 'tool_finished': {
        const status = event.success ? dim(`✓ ${event.duration_ms} ms`) : red(`✗ ${event.duration_ms} ms`);
        if (options.showOutput) {
          const lines = event.output.trimEnd().split('\n');
          const max = options.maxOutputLines ?? 20;
          const shown = lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more lines`] : lines;
          for (const l of shown) line(dim(`  │ ${l}`));
        }
        line(`  ${status}`);
        break;
      }
      case 'plan_updated':
        line(bold('Plan:'));
        for (const step of event.plan) line(`  ${step.status === 'completed' ? '☑' : step.status === 'in_progress' ? '▸' : '☐'} ${step.step}`);
        break;
      case 'round_retry':
        line(yellow(`↻ ${event.error.message} — retrying in ${event.delay_ms} ms`));
        break;
      case 'approval_resolved':
        line(dim(`  approval: ${event.decision}`));
        break;
      case 'turn_ended': {
        const u = event.usage;
        if (midLine) line('');
        line(
          dim(
            `— ${event.reason}: ${u.requests} request${u.requests === 1 ? '' : 's'}, ` +
              `${u.input_tokens} input tokens (${u.cached_tokens} cached), ${u.output_tokens} output`,
          ),
        );
        if (event.error) line(red(`error (${event.error.kind}): ${event.error.message}`));
        break;
      }
      default:
        break;
    }
  };
}

function describeArguments(name: string, args: string): string {
  try {
    const parsed = JSON.parse(args) as Record<string, unknown>;
    if (name === 'exec_command' && typeof parsed.cmd === 'string') return `$ ${parsed.cmd}`;
    if (name === 'write_stdin') return `session ${String(parsed.session_id)}`;
    if (name === 'apply_patch') return '(patch)';
    if (name === 'update_plan') return '';
  } catch {
    // fall through: show the raw text
  }
  return args.length > 120 ? `${args.slice(0, 117)}…` : args;
}
