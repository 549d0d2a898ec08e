import { describe, expect, it } from 'vitest';
import { REDACTED, redact, scrubText } from '../../../src/app/inspector/redact';

const KEY = 'my-settings-key-12345';

describe('redact', () => {
  it('replaces strings holding a secret anywhere in nested data, without touching the input', () => {
    const value = {
      model: 'gpt',
      input: [{ type: 'message', content: [{ type: 'input_text', text: `my key is ${KEY}` }] }, { note: 'harmless' }],
      deep: { deeper: [[{ x: KEY }]] },
      count: 3,
      flag: true,
      none: null,
    };
    const before = JSON.stringify(value);
    const out = redact(value, [KEY]);
    expect(JSON.stringify(value)).toBe(before);
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out.input[0]).toEqual({ type: 'message', content: [{ type: 'input_text', text: REDACTED }] });
    expect(out.input[1]).toEqual({ note: 'harmless' });
    expect(out.deep.deeper[0]![0]).toEqual({ x: REDACTED });
    expect(out).toMatchObject({ model: 'gpt', count: 3, flag: true, none: null });
  });

  it('redacts credential headers by name and strings that look like keys or bearer tokens', () => {
    const out = redact(
      {
        headers: { Authorization: 'Basic abc', 'api-key': 'k', 'x-api-key': 'k2', 'X-Goog-Api-Key': 'k3', accept: 'json' },
        settings: { apiKey: 'whatever' },
        log: ['curl -H "Authorization: Bearer abcdefgh12345678"', 'key sk-proj-ABCDEFGHIJKLMNOP1234', 'task-list sk-short'],
      },
      [],
    );
    expect(out.headers).toEqual({ Authorization: REDACTED, 'api-key': REDACTED, 'x-api-key': REDACTED, 'X-Goog-Api-Key': REDACTED, accept: 'json' });
    expect(out.settings.apiKey).toBe(REDACTED);
    expect(out.log).toEqual([REDACTED, REDACTED, 'task-list sk-short']);
  });

  it('redacts object keys that hold a secret, survives cycles, and ignores empty or tiny secrets', () => {
    const cyclic: Record<string, unknown> = { [KEY]: 1, text: 'a' };
    cyclic.self = cyclic;
    const out = redact(cyclic, [KEY, '', '  ', 'a']) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([REDACTED, 'text', 'self']);
    expect(out.text).toBe('a');
    expect(out.self).toBe('[circular]');
  });

  it('scrubText removes every occurrence from serialised text', () => {
    expect(scrubText(`a ${KEY} b ${KEY}`, [KEY])).toBe(`a ${REDACTED} b ${REDACTED}`);
  });
});
