/**
 * One definition of a request's size: the bytes of the JSON body as sent over HTTP. The
 * step-through card, the Inspector and the context meter's figures all report that number.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatKB, requestSizeLabel } from '../../../src/app/inspector/labels';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import type { ResponsesRequest } from '../../../src/core/ports';
import { requestBytes, requestJson } from '../../../src/core/request-size';
import { reply, sequence } from '../../../src/model/scripted';
import { eventsOf, startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('request size', () => {
  it('is the bytes of the body the client puts on the wire, and the step card, the Inspector and request_stats all report it', async () => {
    const sent: string[] = [];
    const capture: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && typeof init.body === 'string') sent.push(init.body);
      return fetch(input, init);
    };
    h = await startHarness({ script: sequence([reply.exec('echo “ünïcødé” ✓'), reply.text('done — ✓')]), client: { fetch: capture } });
    const timeline = new InspectorTimeline();
    const stepped: ResponsesRequest[] = [];
    let now = 0;
    h.agent.on((event) => {
      timeline.record(event, (now += 10));
      if (event.type !== 'step_paused') return;
      if (event.target.kind === 'request') stepped.push(event.target.request);
      queueMicrotask(() => h!.agent.resumeStep(event.id, 'continue'));
    });
    h.agent.setStepping(true);
    expect((await h.agent.runTurn('Grüße — how big is this request? ✓')).reason).toBe('completed');

    expect(sent).toHaveLength(2);
    const onTheWire = sent.map((body) => Buffer.byteLength(body, 'utf8'));
    // Pretty-printed, as the step card shows the body to read, it is bigger: not the size.
    expect(Buffer.byteLength(JSON.stringify(stepped[0], null, 2))).toBeGreaterThan(onTheWire[0]!);
    expect(stepped.map((r) => requestJson(r))).toEqual(sent);
    expect(stepped.map(requestBytes)).toEqual(onTheWire);
    expect(timeline.rounds.map((r) => r.request.bytes)).toEqual(onTheWire);
    expect(eventsOf(h.events, 'request_stats').map((s) => s.request_bytes)).toEqual(onTheWire);
    // One label for it, wherever it is shown.
    expect(stepped.map(requestSizeLabel)).toEqual(timeline.rounds.map((r) => formatKB(r.request.bytes!)));
    // The reusable prefix never exceeds the size.
    expect(timeline.rounds[1]!.request.prefixBytes).toBeGreaterThan(0);
    expect(timeline.rounds[1]!.request.prefixBytes).toBeLessThan(onTheWire[1]!);
  });
});
