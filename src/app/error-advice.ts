/** What an error card says: a headline for the failure and what the user can do about it. */
import type { ErrorInfo } from '../core/events';
import { scrubErrorText } from '../core/redact';

export interface ErrorAdvice {
  title: string;
  /** The next step, or '' when the error's own message already says it. */
  action: string;
}

/** Messages that already carry the next step (the model client words most of its own). */
const SAYS_WHAT_TO_DO: Partial<Record<string, RegExp>> = {
  auth: /\bin Settings\b|\bcheck the (api )?key\b/i,
  quota: /\bbilling\b|\badd credit\b/i,
  context_overflow: /\/compact\b|\/new\b|\bnew (chat|conversation)\b/i,
  invalid_prompt: /\brephrase\b/i,
};

/**
 * Whether sending the failed turn again can help: it can after a network or server failure,
 * or once the settings are fixed; not when the prompt itself is the problem (refused, too long)
 * or the model stopped on its own.
 */
export function offersRetry(error: ErrorInfo): boolean {
  if (error.code === 'invalid_prompt') return false;
  return error.kind !== 'context_overflow' && error.kind !== 'incomplete' && error.kind !== 'aborted';
}

/** `retry`: the card has a Retry button, so the advice points at it rather than at sending again. */
export function errorAdvice(error: ErrorInfo, options: { retry?: boolean } = {}): ErrorAdvice {
  const advice = kindAdvice(error, options.retry ? 'choose Retry' : 'send again');
  const covered = SAYS_WHAT_TO_DO[error.code === 'invalid_prompt' ? 'invalid_prompt' : error.kind];
  return covered?.test(error.message) ? { ...advice, action: '' } : advice;
}

/** `again` ends the advice: "send again", or "choose Retry" when the card offers it. */
function kindAdvice(error: ErrorInfo, again: string): ErrorAdvice {
  const Again = again[0]!.toUpperCase() + again.slice(1);
  if (error.code === 'invalid_prompt') {
    return {
      title: "The provider's policy refused the prompt",
      action:
        'Rephrase your last message or leave out the content that triggered the refusal (a pasted file or a tool output can too), then send again.',
    };
  }
  switch (error.kind) {
    case 'auth':
      return { title: 'The API key was rejected', action: `Check the key in Settings (and that it belongs to this endpoint), then ${again}.` };
    case 'quota':
      return {
        title: 'The account is out of quota',
        action: "Add credit or raise the limit in the provider's billing page, or switch to another key or model in Settings.",
      };
    case 'rate_limit':
      return { title: 'Rate limited', action: `The provider asked to slow down and retries ran out. Wait a minute and ${again}.` };
    case 'context_overflow':
      return {
        title: 'The conversation no longer fits the model',
        action: 'Start a new conversation with /new, or choose a model with a larger context window.',
      };
    case 'not_found':
      return {
        title: 'Endpoint or model not found',
        action: `Check the base URL (it usually ends in /v1) and the model name in Settings, then ${again}.`,
      };
    case 'network':
      return {
        title: 'Could not reach the model',
        action: `Check that you are online and that the base URL is right; a local server (Ollama, LM Studio) must be running. Then ${again}.`,
      };
    case 'cors':
      return { title: 'The browser blocked the answer (CORS)', action: '' };
    case 'timeout':
      return { title: 'The model stopped answering', action: `No data arrived for a while. ${Again}; a slow local model may need a smaller prompt.` };
    case 'server':
      return { title: 'The provider had an error', action: `Retries ran out. Wait a little, then ${again}.` };
    case 'stream':
      return { title: 'The answer was cut off', action: `The connection broke mid-answer and retries ran out. ${Again}.` };
    case 'incomplete':
      return { title: 'The answer was incomplete', action: 'The model stopped early (often its output limit). Ask it to continue.' };
    case 'bad_request':
      return { title: 'The request was refused', action: `Check the settings (model, extra headers and query parameters), then ${again}.` };
    default:
      return { title: 'The turn failed', action: '' };
  }
}

/**
 * The error's message as a card shows it: a last pass that takes out anything shaped like a
 * credential (the model client already took out the configured key), so an error stored by an
 * older build, or raised where the key is not known, shows none either.
 */
export function shownMessage(error: ErrorInfo): string {
  return scrubErrorText(error.message, []);
}
