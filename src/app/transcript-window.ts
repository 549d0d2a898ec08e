/**
 * Which entries the live transcript renders: a window ending at the newest entry, so the DOM
 * stays bounded however long a session or a single turn grows (a turn of 600 rounds is 1 200
 * entries). Earlier entries render on request ("Show earlier messages").
 *
 * - A session opens on its last `page` entries.
 * - While the view follows new output, the window slides once it holds twice `page`, back to
 *   `page`: the DOM never holds more than 2 × `page` entries, and the slide happens at most once
 *   per `page` new entries.
 * - While the person reads further up (not following), it never slides, so nothing moves under them.
 */
const TRANSCRIPT_PAGE = 150;

/** The first entry rendered when a session opens. */
export function openingStart(length: number, page = TRANSCRIPT_PAGE): number {
  return Math.max(0, length - page);
}

/** The first entry rendered after the transcript grew to `length`. */
export function followingStart(start: number, length: number, following: boolean, page = TRANSCRIPT_PAGE): number {
  if (!following || length - start <= 2 * page) return start;
  return length - page;
}

/** The first entry rendered after "Show earlier messages". */
export function earlierStart(start: number, page = TRANSCRIPT_PAGE): number {
  return Math.max(0, start - 2 * page);
}
