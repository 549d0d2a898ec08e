/** Converts the API's nested token accounting into the engine's flat `Usage`. */
import type { Usage } from '../core/ports';

/**
 * Reads `{input_tokens, input_tokens_details:{cached_tokens}, output_tokens,
 * output_tokens_details:{reasoning_tokens}, total_tokens}`. Chat-style names
 * (`prompt_tokens`, `completion_tokens`) are accepted as a fallback for compatible servers.
 * Missing or invalid counts become 0; a missing total becomes input + output.
 */
export function normalizeUsage(raw: unknown): Usage {
  const u = asRecord(raw);
  const input = count(u.input_tokens) ?? count(u.prompt_tokens) ?? 0;
  const output = count(u.output_tokens) ?? count(u.completion_tokens) ?? 0;
  const cached = count(asRecord(u.input_tokens_details).cached_tokens) ?? count(asRecord(u.prompt_tokens_details).cached_tokens) ?? 0;
  const reasoning = count(asRecord(u.output_tokens_details).reasoning_tokens) ?? count(asRecord(u.completion_tokens_details).reasoning_tokens) ?? 0;
  const total = count(u.total_tokens) ?? input + output;
  return {
    input_tokens: input,
    cached_tokens: cached,
    output_tokens: output,
    reasoning_tokens: reasoning,
    total_tokens: total,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}
