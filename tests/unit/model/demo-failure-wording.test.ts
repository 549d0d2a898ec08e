/** The demo model's failure reports read as English whatever step failed. */
import { describe, expect, it } from 'vitest';
import { outputFor, userMessage, type FunctionCallItem, type ResponseItem } from '../../../src/core/items';
import { createScriptContext, FIX_TEST_PROMPT, HELLO_PROMPT, lessons, runStep } from '../../../src/model/scripted/index';
import { PREAMBLE, request } from '../../support/scripted-helpers';

const call = (n: number): FunctionCallItem => ({ type: 'function_call', call_id: `call_${n}`, name: 'exec_command', arguments: '{"cmd":"true"}' });

/** The lesson's reply to a history whose last tool output is `output`, after `rounds` calls. */
async function replyText(lesson: string, prompt: string, rounds: number, output: string): Promise<string> {
  const input: ResponseItem[] = [...PREAMBLE, userMessage(prompt)];
  for (let n = 1; n <= rounds; n++) input.push(call(n), outputFor(call(n), n === rounds ? output : 'Process exited with code 0\nOutput:\nok'));
  return JSON.stringify(await runStep(lessons[lesson]!, createScriptContext(request(input), rounds)));
}

describe('the demo model reporting a failed step', () => {
  it.each([
    ['fix-test', 1, FIX_TEST_PROMPT, 'aborted by user'],
    ['fix-test', 3, FIX_TEST_PROMPT, 'exec command rejected by user'],
    ['hello', 4, HELLO_PROMPT, 'Process exited with code 1\nOutput:\nboom'],
  ] as const)('%s after %i tool calls: no "while the last step"', async (lesson, rounds, prompt, output) => {
    const text = await replyText(lesson, prompt, rounds, output);
    expect(text).toContain('Something went wrong');
    expect(text).not.toMatch(/while the last step|for the last step/);
    // Every report names what was being done with a verb: "while <doing something>".
    expect(text).toMatch(/Something went wrong while [a-z]+ing\b/);
  });
});
