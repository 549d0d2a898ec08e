/**
 * One round as a JSON document for slides and bug reports: the request body, the response's
 * event log and usage, the tool runs, and the compaction before it. Secrets are redacted
 * (see `redact`) and the text is scrubbed once more, so no secret appears in it.
 */
import { redact, scrubText } from './redact';
import type { Round } from './types';

const ROUND_FORMAT = 'unroll-round';
const ROUND_FORMAT_VERSION = 1;

export interface RoundExport {
  /** A file name such as `unroll-round-3.json`. */
  name: string;
  /** Pretty-printed JSON. */
  text: string;
  type: 'application/json';
}

export function exportRound(round: Round, secrets: readonly string[]): RoundExport {
  const { request, response } = round;
  const document = {
    format: ROUND_FORMAT,
    version: ROUND_FORMAT_VERSION,
    round: {
      index: round.index,
      turn_id: round.turnId,
      turn_round: round.turnRound,
      attempts: round.attempts,
      retries: round.retries,
      // Rebuilt from a stored conversation: `request.bytes` is null, the body holds only its input.
      ...(round.rebuilt ? { rebuilt: round.rebuilt } : {}),
    },
    request: {
      bytes: request.bytes,
      prefix_bytes: request.prefixBytes,
      est_tokens: request.estTokens,
      items: request.items,
      parts: request.parts?.map(({ label, kind, bytes, cached }) => ({ label, kind, bytes, cached })) ?? null,
      /** `null` when the inspector no longer keeps the body. */
      body: request.body,
    },
    response: {
      status: response.status,
      response_id: response.responseId,
      ttft_ms: response.ttftMs,
      duration_ms: response.durationMs,
      output_tokens: response.outputTokens,
      tokens_per_second: response.tokensPerSecond,
      usage: response.usage,
      events: response.events,
      output: response.output,
    },
    tools: round.tools,
    compaction: round.compaction
      ? {
          reason: round.compaction.reason,
          mode: round.compaction.mode,
          tokens_before: round.compaction.tokensBefore,
          tokens_after: round.compaction.tokensAfter,
          before: round.compaction.before.map(({ label, kind, bytes }) => ({ label, kind, bytes })),
          after: round.compaction.after.map(({ label, kind, bytes, kept }) => ({ label, kind, bytes, kept })),
        }
      : null,
  };
  const text = scrubText(JSON.stringify(redact(document, secrets), null, 2), secrets);
  return { name: `unroll-round-${round.index + 1}.json`, text, type: 'application/json' };
}
