/**
 * A scripted workload for compaction tests: numbered tasks of N exec_command steps whose
 * outputs are some 300 tokens each, robust to the history being replaced under it.
 */
import { SUMMARY_OPEN } from '../../src/core/context/summary';
import { messageText, type ResponseItem } from '../../src/core/items';
import { reply } from '../../src/model/scripted/index';
import type { Script } from '../../src/model/scripted/types';

/** Ten files of about 1 000 bytes: each step's output, with its header, is some 300 tokens. */
export const NOTES = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`notes/s-${i}.txt`, `${`note ${i}: `.padEnd(40, '-')}\n`.repeat(25)]));

const REPORT = `Report: ${'all steps ran and their output was read. '.repeat(50)}`;

export function isCompactedTail(item: ResponseItem | undefined): boolean {
  return item?.type === 'compaction' || (item?.type === 'message' && item.role === 'user' && messageText(item).startsWith(SUMMARY_OPEN));
}

/**
 * "task N: run K steps" → K exec_command rounds, then "task N done after K steps". State
 * lives in the script, not in the request, so it survives compactions; the request is
 * checked instead: it must still name the task, and end with the output of the step issued
 * last unless a compaction just replaced the history.
 */
export function taskScript(problems: string[]): Script {
  const done = new Map<string, number>();
  const issued = new Map<string, string>();
  return (ctx) => {
    const task = /^task (\d+): run (\d+) steps$/.exec(ctx.lastUserText);
    if (!task) {
      problems.push(`request ${ctx.requestNumber}: no task in ${JSON.stringify(ctx.lastUserText.slice(0, 80))}`);
      return reply.text('lost the task');
    }
    const id = task[1] as string;
    const steps = Number(task[2]);
    const n = done.get(id) ?? 0;
    const marker = issued.get(id);
    if (marker !== undefined && !(ctx.lastToolOutput ?? '').includes(marker) && !isCompactedTail(ctx.lastItem)) {
      problems.push(`request ${ctx.requestNumber}: task ${id} expected the output of ${marker}`);
    }
    if (n < steps) {
      const next = `STEP-${id}.${n + 1}`;
      done.set(id, n + 1);
      issued.set(id, next);
      return reply.exec(`echo ${next} && cat notes/s-${n % 10}.txt`);
    }
    // A long report before the answer: some turns end close to the limit, so the next
    // one has to compact before it starts.
    return [reply.note(REPORT), reply.text(`task ${id} done after ${n} steps`)];
  };
}

/** Step counts whose rounds (steps + the answer) add up to `rounds`. */
export function plan(rounds: number): number[] {
  const steps: number[] = [];
  let left = rounds;
  for (let i = 0; left > 0; i++) {
    const k = Math.min(left - 1, 3 + ((i * 7) % 17));
    steps.push(k);
    left -= k + 1;
  }
  return steps;
}
