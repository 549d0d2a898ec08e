/**
 * A chat's meters, folded from the engine's events: what the conversation has cost so far, the
 * context meter, the last request's prompt-cache figures, and whether a compaction is running.
 */
import type { AgentEvent, TurnUsage } from '../core/events';
import type { TokenStatus } from '../core/tokens';
import { sumUsage } from '../core/usage-total';
import type { RequestStats } from './chat-options';

export interface ChatMeters {
  usage: TurnUsage;
  tokens: TokenStatus | null;
  lastRequest: RequestStats | null;
  compacting: boolean;
}

/** Updates `meters` for `event`; events that move no meter leave them alone. */
export function foldMeters(meters: ChatMeters, event: AgentEvent): void {
  if (event.type === 'token_status') {
    meters.tokens = {
      used: event.used,
      window: event.window,
      auto_compact_at: event.auto_compact_at,
      ...(event.last_usage ? { last_usage: event.last_usage } : {}),
    };
  } else if (event.type === 'request_stats') meters.lastRequest = event;
  else if (event.type === 'compaction_started') meters.compacting = true;
  else if (event.type === 'compaction_finished' || event.type === 'compaction_failed') meters.compacting = false;
  // Counted per response, so /status is current while a turn runs.
  else if (event.type === 'response_completed') meters.usage = sumUsage(meters.usage, { ...event.usage, requests: 1 });
}
