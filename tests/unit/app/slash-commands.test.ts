import { describe, expect, it } from 'vitest';
import { completeSlash, parseSlash, SLASH_COMMANDS, slashEnter } from '../../../src/app/slash-commands';

describe('slash commands', () => {
  it('has the commands the composer promises', () => {
    expect(SLASH_COMMANDS.map((c) => c.name)).toEqual([
      'new',
      'model',
      'approvals',
      'status',
      'diff',
      'undo',
      'init',
      'skills',
      'mcp',
      'compact',
      'clear',
    ]);
  });

  it('completes a bare /word: prefix matches first, then substring matches', () => {
    expect(completeSlash('/').map((c) => c.name)).toHaveLength(SLASH_COMMANDS.length);
    expect(completeSlash('/d').map((c) => c.name)).toEqual(['diff', 'model', 'undo']);
    expect(completeSlash('/c').map((c) => c.name)).toEqual(['compact', 'clear', 'mcp']);
    expect(completeSlash('/st').map((c) => c.name)).toEqual(['status']);
    expect(completeSlash('/model gpt')).toEqual([]);
    expect(completeSlash('hello /st')).toEqual([]);
  });

  it('runs a command typed out in full on the first Enter; completes a partial one', () => {
    const command = (name: string) => SLASH_COMMANDS.find((c) => c.name === name)!;
    for (const name of ['model', 'approvals', 'status', 'new']) {
      expect(completeSlash(`/${name}`)[0]?.name).toBe(name);
      expect(slashEnter(`/${name}`, completeSlash(`/${name}`)[0]!)).toBe('run');
    }
    expect(slashEnter('/MODEL', command('model'))).toBe('run');
    expect(slashEnter('/mod', command('model'))).toBe('complete');
    expect(slashEnter('/appr', command('approvals'))).toBe('complete');
    // Moving the highlight to another command completes that one instead.
    expect(slashEnter('/model', command('approvals'))).toBe('complete');
  });

  it('parses commands with arguments, unknown commands and plain text', () => {
    expect(parseSlash('/model  gpt-5 ')).toMatchObject({ command: { name: 'model' }, args: 'gpt-5' });
    expect(parseSlash('/STATUS')).toMatchObject({ command: { name: 'status' }, args: '' });
    expect(parseSlash('/frobnicate')).toEqual({ unknown: 'frobnicate' });
    expect(parseSlash('please /status')).toBeNull();
    expect(parseSlash('/usr/bin/env is a path')).toBeNull();
  });
});
