import { describe, expect, it } from 'vitest';
import { suggestedPrompts } from '../../../src/app/suggested-prompts';
import { userMessage } from '../../../src/core/items';
import { createScriptContext, demoScript, HELLO_PROMPT, LESSONS, runStep } from '../../../src/model/scripted/index';
import { PREAMBLE, request } from '../../support/scripted-helpers';

const known = LESSONS.map((lesson) => lesson.prompt);

describe('the prompts a demo reply suggests', () => {
  it("the demo's help offers every lesson prompt, in the order it lists them", async () => {
    const ctx = createScriptContext(request([...PREAMBLE, userMessage('What can you do?')]), 0);
    const reply = await runStep(demoScript, ctx);
    const text = reply.map((item) => ('text' in item ? item.text : '')).join('\n');
    expect(suggestedPrompts(text, known)).toEqual(known);
  });

  it('finds quoted prompts and slash commands written as code, each once; nothing else', () => {
    const text = `That was the whole lesson. Send another message, e.g. "${HELLO_PROMPT}", to run it again. Or type \`/compact\`, then \`/approvals never\`; \`/compact\` again, \`/frobnicate\` or \`ls -la\` are not prompts.`;
    expect(suggestedPrompts(text, known)).toEqual([HELLO_PROMPT, '/compact', '/approvals never']);
    expect(suggestedPrompts('Nothing to suggest here.', known)).toEqual([]);
  });
});
