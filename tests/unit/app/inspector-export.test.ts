/** Exported rounds never contain the key, even when it was typed into the conversation. */
import { afterEach, describe, expect, it } from 'vitest';
import { exportRound } from '../../../src/app/inspector/export-round';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { reply, sequence } from '../../../src/model/scripted';
import { startHarness, type Harness } from '../../support/harness';

// Not shaped like `sk-…`, so only the secrets list given to the export can catch it.
const KEY = 'planted-settings-key-0123456789';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('exportRound', () => {
  it('writes a pretty unroll-round document with the key nowhere in it', async () => {
    h = await startHarness({ script: sequence([reply.exec(`echo ${KEY}`), reply.text(`your key ${KEY} works`)]) });
    // No secrets given to the timeline: the export alone must keep the key out.
    const timeline = new InspectorTimeline();
    let now = 0;
    h.agent.on((event) => timeline.record(event, (now += 5)));
    await h.agent.runTurn(`use the key ${KEY} please`);
    expect(JSON.stringify(h.bodies())).toContain(KEY);
    expect(JSON.stringify(timeline.rounds[1]!.request.body)).toContain(KEY);

    for (const round of timeline.rounds) {
      const file = exportRound(round, [KEY]);
      expect(file.name).toBe(`unroll-round-${round.index + 1}.json`);
      expect(file.type).toBe('application/json');
      expect(file.text).not.toContain(KEY);
      expect(file.text).toContain('\n  "format": "unroll-round"');
      const doc = JSON.parse(file.text);
      expect(doc).toMatchObject({ format: 'unroll-round', version: 1, round: { index: round.index, turn_id: 'turn_1' } });
      expect(doc.request.body.input.length).toBe(round.request.items);
      expect(doc.request.bytes).toBe(round.request.bytes);
      expect(doc.response.usage).toEqual(round.response.usage);
      expect(doc.response.events.length).toBe(round.response.events.length);
    }
    const first = JSON.parse(exportRound(timeline.rounds[0]!, [KEY]).text);
    expect(first.tools).toEqual([expect.objectContaining({ name: 'exec_command', title: '[redacted]', success: true })]);
  });

  it('exports a trimmed round with a null body', async () => {
    h = await startHarness({ script: sequence([reply.exec('ls'), reply.text('done')]) });
    const timeline = new InspectorTimeline({ maxBodies: 1 });
    let now = 0;
    h.agent.on((event) => timeline.record(event, (now += 5)));
    await h.agent.runTurn('go');
    const doc = JSON.parse(exportRound(timeline.rounds[0]!, []).text);
    expect(doc.request.body).toBeNull();
    expect(doc.request.parts).toBeNull();
    expect(doc.response.usage).not.toBeNull();
  });

  it('keeps key-shaped strings out even of the timeline itself', async () => {
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRST';
    h = await startHarness({ script: sequence([reply.text('ok')]) });
    const timeline = new InspectorTimeline();
    h.agent.on((event) => timeline.record(event, 0));
    await h.agent.runTurn(`here: ${key}`);
    expect(JSON.stringify(h.bodies())).toContain(key);
    expect(JSON.stringify([timeline.rounds, timeline.turns])).not.toContain(key);
  });
});
