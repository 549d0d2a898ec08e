import { describe, expect, it } from 'vitest';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { modelSilenceMs, modelWaitLabel } from '../../../src/app/model-wait';
import { request } from '../../support/model-fixtures';

describe('waiting for the model', () => {
  it('counts silence from the request, then from the last response event; nothing once completed', () => {
    const t = new InspectorTimeline();
    t.record({ type: 'request_started', round: 1, attempt: 1, request: request() }, 1000);
    expect(modelSilenceMs(t.current, 1000 + 42_400)).toBe(42_400);
    expect(modelWaitLabel(modelSilenceMs(t.current, 1000 + 42_400))).toBe('waiting for the model · 42 s');
    expect(modelWaitLabel(modelSilenceMs(t.current, 1000 + 2000))).toBe('');
    t.record({ type: 'response_created', round: 1, response_id: 'r1' }, 50_000);
    expect(modelSilenceMs(t.current, 55_000)).toBe(5000);
    t.record(
      {
        type: 'response_completed',
        round: 1,
        response_id: 'r1',
        usage: { input_tokens: 1, cached_tokens: 0, output_tokens: 1, reasoning_tokens: 0, total_tokens: 2 },
      },
      56_000,
    );
    expect(modelSilenceMs(t.current, 90_000)).toBeNull();
    expect(modelWaitLabel(null)).toBe('');
  });

  it('a retried attempt counts from its own request', () => {
    const t = new InspectorTimeline();
    t.record({ type: 'request_started', round: 1, attempt: 1, request: request() }, 0);
    t.record({ type: 'round_retry', round: 1, attempt: 1, delay_ms: 200, error: { kind: 'network', message: 'x' } }, 10_000);
    t.record({ type: 'request_started', round: 1, attempt: 2, request: request() }, 10_200);
    expect(modelSilenceMs(t.current, 14_200)).toBe(4000);
  });
});
