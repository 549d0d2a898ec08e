/** The inspector's redaction is the app's one redaction: see `core/redact`. */
export { looksSecret, redact, REDACTED, scrubText } from '../../core/redact';
