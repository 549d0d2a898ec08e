/** The `<environment_context>` block: where the agent is and when. */

export const ENVIRONMENT_OPEN = '<environment_context>';
const ENVIRONMENT_CLOSE = '</environment_context>';
/** Stated when the configured zone is not one the runtime knows. */
export const FALLBACK_TIMEZONE = 'UTC';

export interface EnvironmentFacts {
  cwd: string;
  shell: string;
  /** Milliseconds since the epoch; rendered as a local date in `timezone`. */
  now: number;
  /** IANA zone name, e.g. 'Europe/Paris'. */
  timezone: string;
}

/**
 * The block as Codex lays it out: one child per line, two-space indent. An unknown timezone
 * is replaced by UTC in both `<current_date>` and `<timezone>`, so the two never disagree.
 */
export function environmentContext(env: EnvironmentFacts): string {
  const timezone = isKnownTimezone(env.timezone) ? env.timezone : FALLBACK_TIMEZONE;
  return [
    ENVIRONMENT_OPEN,
    `  <cwd>${escapeXml(env.cwd)}</cwd>`,
    `  <shell>${escapeXml(env.shell)}</shell>`,
    `  <current_date>${localDate(env.now, timezone)}</current_date>`,
    `  <timezone>${escapeXml(timezone)}</timezone>`,
    ENVIRONMENT_CLOSE,
  ].join('\n');
}

/** The cwd stated in an environment context text (unescaped), or null if it is not one. */
export function readEnvironmentCwd(text: string): string | null {
  if (!text.startsWith(ENVIRONMENT_OPEN)) return null;
  const match = /<cwd>([^<]*)<\/cwd>/.exec(text);
  return match?.[1] !== undefined ? unescapeXml(match[1]) : null;
}

/**
 * `now` as YYYY-MM-DD in `timezone`, or in UTC when the zone is unknown. Built from
 * `formatToParts` rather than a locale's short-date pattern, which browsers have changed.
 */
export function localDate(now: number, timezone: string): string {
  const date = new Date(now);
  if (Number.isNaN(date.getTime())) return 'unknown';
  try {
    const parts = dateFormat(timezone).formatToParts(date);
    const part = (type: string) => parts.find((p) => p.type === type)?.value;
    const [year, month, day] = [part('year'), part('month'), part('day')];
    if (year && month && day) return `${year.padStart(4, '0')}-${month}-${day}`;
  } catch {
    // Unknown zone: fall through to UTC.
  }
  return date.toISOString().slice(0, 10);
}

/** Whether the runtime's Intl knows `timezone` (an empty name does not count). */
export function isKnownTimezone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    dateFormat(timezone);
    return true;
  } catch {
    return false;
  }
}

// Building a formatter loads the zone's data (tens of ms the first time in a browser), so
// each zone's is built once.
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timezone, format);
  }
  return format;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const UNESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/** Single pass, so `&amp;lt;` becomes `&lt;` and not `<`. */
function unescapeXml(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (e) => UNESCAPES[e] ?? e);
}
