/**
 * Opening a share link (`#share=` in the URL, `#s=` through the share service) read-only in
 * this tab, and following a live one: each version the broadcast sends is shown in turn while
 * the shared session is what the tab shows, and its end is said.
 */
import type { SessionDocument } from '../store/session-store';
import { followBroadcast } from './broadcast';
import { readShareLink, type ReadLink } from './share-links';

/** Where the viewer shows what it opens (`Sessions`). */
export interface LinkViewerHost {
  /** The share service set here, for `#s=` links that do not name one. */
  shareService(): string;
  /** Shows `document` read-only in place of what is open; `warnings` as notes under it. */
  show(document: SessionDocument, warnings?: readonly string[]): Promise<void>;
  /** Whether a shared session is what the tab shows. */
  showing(): boolean;
  /** A note at the end of the shown chat. */
  note(text: string): void;
  /** What went wrong, for the banner. */
  report(problem: string): void;
}

export class LinkViewer {
  readonly #host: LinkViewerHost;
  #follow: AbortController | null = null;

  constructor(host: LinkViewerHost) {
    this.#host = host;
  }

  /** Shows the session in the link in `hash`; false when `hash` holds none, or a bad one (said). */
  async open(hash: string): Promise<boolean> {
    const read = await readShareLink(hash, this.#host.shareService());
    if (read === null) return false;
    const { check, live } = read;
    this.#follow?.abort();
    this.#follow = null;
    if (!check.ok) {
      this.#host.report(`This share link could not be opened: ${check.problems.join(' ')}`);
      return false;
    }
    await this.#host.show(check.document, check.warnings);
    if (live) this.#followLive(live);
    return true;
  }

  /** Shows what a live share gains, as it arrives, while it is the session shown. */
  #followLive(link: NonNullable<ReadLink['live']>): void {
    const follow = new AbortController();
    this.#follow = follow;
    const current = () => this.#follow === follow && this.#host.showing();
    void followBroadcast(
      link,
      (next) => {
        if (current()) void this.#host.show(next);
        else follow.abort();
      },
      {
        signal: follow.signal,
        onEnded: () => {
          if (current()) this.#host.note('The broadcast has ended: this is the whole session.');
        },
      },
    );
  }
}
