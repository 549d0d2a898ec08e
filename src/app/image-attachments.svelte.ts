/**
 * The images waiting in the composer for the next message: added from a paste, a drop or the
 * file picker, shown as thumbnails, removable, and taken (cleared) when the message is sent.
 * Decoding is asynchronous; files still being read count toward the limit, so a quick second
 * paste cannot pass it, and each image takes the place its file had, whichever is read first.
 */
import { acceptFiles, AttachError, prepareImage, type Attachment } from './image-attach';

/** Turns a file into an attachment; `prepareImage` in the browser, a stand-in in tests. */
export type Prepare = (file: File) => Promise<Attachment>;

export class ImageAttachments {
  items = $state<Attachment[]>([]);
  /** Sentences about files that were not attached; cleared by the next add, remove or send. */
  problems = $state<string[]>([]);
  /** Files still being read. */
  reading = $state(0);
  readonly #prepare: Prepare;
  /** Bumped by `take` and `clear`: files still being read for an earlier message are dropped. */
  #generation = 0;
  /** The order each of `items` was added in (parallel to it). */
  #order: number[] = [];
  #added = 0;

  constructor(prepare: Prepare = prepareImage) {
    this.#prepare = prepare;
  }

  get count(): number {
    return this.items.length;
  }

  /** Reads `files` (non-images and those over the limit are refused, with a problem each). */
  async add(files: readonly File[]): Promise<void> {
    const { accepted, problems } = acceptFiles(files, this.items.length + this.reading);
    this.problems = problems;
    const generation = this.#generation;
    this.reading += accepted.length;
    await Promise.all(
      accepted.map(async (file) => {
        const order = this.#added++;
        try {
          const attachment = await this.#prepare(file);
          if (generation === this.#generation) this.#place(attachment, order);
        } catch (err) {
          if (generation !== this.#generation) return;
          const name = file.name || 'The pasted image';
          this.problems.push(err instanceof AttachError ? err.message : `${name} could not be attached: ${(err as Error)?.message ?? String(err)}`);
        } finally {
          if (generation === this.#generation) this.reading -= 1;
        }
      }),
    );
  }

  remove(index: number): void {
    this.items.splice(index, 1);
    this.#order.splice(index, 1);
    this.problems = [];
  }

  /** The data URLs to send, in the order shown; the composer is empty of images afterwards. */
  take(): string[] {
    const urls = this.items.map((item) => item.url);
    this.clear();
    return urls;
  }

  #place(attachment: Attachment, order: number): void {
    let at = this.#order.findIndex((other) => other > order);
    if (at < 0) at = this.items.length;
    this.items.splice(at, 0, attachment);
    this.#order.splice(at, 0, order);
  }

  clear(): void {
    this.#generation += 1;
    this.items = [];
    this.#order = [];
    this.problems = [];
    this.reading = 0;
  }
}
