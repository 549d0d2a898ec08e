import { describe, expect, it } from 'vitest';
import { coalesce, DeltaBatcher, type DeltaEvent } from '../../../src/app/delta-batch';

const text = (delta: string, output_index = 0): DeltaEvent => ({ type: 'text_delta', round: 1, output_index, delta });

describe('DeltaBatcher', () => {
  it('holds deltas until its frame, then applies each run once', () => {
    const applied: DeltaEvent[] = [];
    const frames: (() => void)[] = [];
    const batcher = new DeltaBatcher(
      (e) => applied.push(e),
      (run) => frames.push(run),
    );
    for (const word of ['a', 'b', 'c']) batcher.push(text(word));
    batcher.push({ type: 'tool_output_delta', call_id: 'x', chunk: '1' });
    batcher.push({ type: 'tool_output_delta', call_id: 'x', chunk: '2' });
    expect(applied).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(applied).toEqual([text('abc'), { type: 'tool_output_delta', call_id: 'x', chunk: '12' }]);
  });

  it('flush applies at once, and a later frame finds nothing left', () => {
    const applied: DeltaEvent[] = [];
    const frames: (() => void)[] = [];
    const batcher = new DeltaBatcher(
      (e) => applied.push(e),
      (run) => frames.push(run),
    );
    batcher.push(text('x'));
    batcher.flush();
    frames[0]!();
    expect(applied).toEqual([text('x')]);
  });

  it('never joins deltas bound for different places', () => {
    expect(
      coalesce([
        text('a', 0),
        text('b', 1),
        { type: 'reasoning_summary_delta', round: 1, output_index: 2, summary_index: 0, delta: 'r' },
        { type: 'reasoning_summary_delta', round: 1, output_index: 2, summary_index: 1, delta: 's' },
        { type: 'tool_output_delta', call_id: 'x', chunk: '1' },
        { type: 'tool_output_delta', call_id: 'y', chunk: '2' },
      ]),
    ).toHaveLength(6);
  });
});
