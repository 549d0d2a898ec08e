/** Token usage added up over requests and turns: one definition for the engine and the app. */
import type { TurnUsage } from './events';

export const EMPTY_USAGE: Readonly<TurnUsage> = Object.freeze({
  input_tokens: 0,
  cached_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  total_tokens: 0,
  requests: 0,
});

export function sumUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    requests: a.requests + b.requests,
  };
}
