/** The `<environment_context>` block: where the agent is and when. */

export const ENVIRONMENT_OPEN = '<environment_context>';

export interface EnvironmentFacts {
  cwd: string;
  shell: string;
  /** Milliseconds since the epoch; rendered as a local date in `timezone`. */
  now: number;
  timezone: string;
}

export function environmentContext(env: EnvironmentFacts): string {
  return [
    ENVIRONMENT_OPEN,
    `  <cwd>${escapeXml(env.cwd)}</cwd>`,
    `  <shell>${escapeXml(env.shell)}</shell>`,
    `  <current_date>${localDate(env.now, env.timezone)}</current_date>`,
    `  <timezone>${escapeXml(env.timezone)}</timezone>`,
    '</environment_context>',
  ].join('\n');
}

/** The cwd stated in an environment context text, or null. */
export function readEnvironmentCwd(text: string): string | null {
  if (!text.startsWith(ENVIRONMENT_OPEN)) return null;
  const match = /<cwd>([^<]*)<\/cwd>/.exec(text);
  return match?.[1] !== undefined ? unescapeXml(match[1]) : null;
}

export function localDate(now: number, timezone: string): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
