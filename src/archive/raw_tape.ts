/**
 * An input's bytes read once, by offset, for a reader that may rewind: cut
 * into pieces at gzip member headers, with what a rewind may still need
 * kept and the rest let go (see resync.ts).
 *
 * @module
 */

/** Whether a gzip member header (RFC 1952: ID1 ID2 CM=deflate FLG, reserved bits 0) is there. */
function isGzipHeader(b0: number, b1: number, b2: number, b3: number): boolean {
  return b0 === 0x1f && b1 === 0x8b && b2 === 8 && (b3 & 0xe0) === 0;
}

/** The first place at or after `from` in `bytes` where a whole gzip header starts; -1 for none. */
function headerIn(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(0x1f, from); i !== -1; i = bytes.indexOf(0x1f, i + 1)) {
    if (i + 3 >= bytes.length) return -1;
    if (isGzipHeader(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!, bytes[i + 3]!)) return i;
  }
  return -1;
}

/**
 * An input's bytes read once, by offset, keeping only what a rewind may
 * still need: a decoder reads from an offset, and after damage the search
 * for the next header starts where the decoder stopped.
 */
export class RawTape {
  readonly #source: AsyncIterator<Uint8Array>;
  // Pulled and kept, in order; #end is the offset after the last.
  #chunks: { readonly offset: number; readonly bytes: Uint8Array }[] = [];
  #end = 0;
  #done = false;
  // Where pieces were cut (member headers), ascending, as far as kept.
  #cuts: number[] = [];

  constructor(input: AsyncIterable<Uint8Array>) {
    this.#source = input[Symbol.asyncIterator]();
  }

  #gzip: Promise<boolean> | undefined;

  /** Whether the input is gzip-compressed: its first two bytes, read before any is let go. */
  gzipped(): Promise<boolean> {
    return this.#gzip ??= (async () => {
      while (this.#end < 2 && await this.#pull());
      return this.#end >= 2 && this.#byte(0) === 0x1f && this.#byte(1) === 0x8b;
    })();
  }

  /**
   * The bytes from `offset` on, in pieces that end where a gzip member
   * header begins, and of one byte each in `bytewise`. Bytes before
   * `keepFrom()` are let go as it moves on.
   */
  async *from(
    offset: number,
    keepFrom: () => number,
    bytewise?: { readonly from: number; readonly to: number },
  ): AsyncGenerator<Uint8Array> {
    await this.gzipped(); // Known before the first bytes can be let go.
    let at = offset;
    while (true) {
      this.#release(Math.min(keepFrom(), at));
      const chunk = this.#chunks.find((c) => c.offset + c.bytes.length > at);
      if (chunk === undefined) {
        if (await this.#pull()) continue;
        return;
      }
      // (Never before what is kept: a rewind starts at a kept header.)
      at = Math.max(at, chunk.offset);
      const rest = chunk.bytes.subarray(at - chunk.offset);
      // A piece that begins with a member header: remember where.
      if (headerIn(rest.subarray(0, 4), 0) === 0 && (this.#cuts.at(-1) ?? -1) < at) {
        this.#cuts.push(at);
      }
      const cut = headerIn(rest, 1);
      let piece = cut === -1 ? rest : rest.subarray(0, cut);
      if (bytewise !== undefined && at < bytewise.to) {
        // The first piece keeps a header whole: a reader tells gzip by it.
        const size = at >= bytewise.from ? 1 : bytewise.from - at;
        piece = piece.subarray(0, at === offset ? Math.max(size, 4) : size);
      }
      at += piece.length;
      yield piece;
    }
  }

  /** The offset of the first gzip member header at or after `from`; undefined for none. */
  async nextHeader(from: number): Promise<number | undefined> {
    for (let at = from;; at++) {
      this.#release(at);
      // The next 0x1f, pulling as needed.
      let found = -1;
      while (found === -1) {
        const chunk = this.#chunks.find((c) => c.offset + c.bytes.length > at);
        if (chunk === undefined) {
          if (!await this.#pull()) return undefined;
          continue;
        }
        at = Math.max(at, chunk.offset);
        const index = chunk.bytes.indexOf(0x1f, at - chunk.offset);
        if (index === -1) at = chunk.offset + chunk.bytes.length;
        else found = chunk.offset + index;
      }
      at = found;
      // Its three next bytes may lie in the next chunk.
      while (this.#end < at + 4 && await this.#pull());
      if (this.#end < at + 4) return undefined;
      if (isGzipHeader(0x1f, this.#byte(at + 1), this.#byte(at + 2), this.#byte(at + 3))) {
        return at;
      }
    }
  }

  /** The last place a piece was cut at or before `offset`; `otherwise` for none. */
  cutAtOrBefore(offset: number, otherwise: number): number {
    let found = otherwise;
    for (const cut of this.#cuts) if (cut <= offset && cut > found) found = cut;
    return found;
  }

  /** Whether a piece was cut at a member header from `from` to `to`, both included. */
  cutBetween(from: number, to: number): boolean {
    return this.#cuts.some((cut) => cut >= from && cut <= to);
  }

  /** Closes the input. */
  async close(): Promise<void> {
    await this.#source.return?.();
  }

  async #pull(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#chunks.push({ offset: this.#end, bytes: next.value });
    this.#end += next.value.length;
    return true;
  }

  /** The byte at an offset that is kept. */
  #byte(offset: number): number {
    const chunk = this.#chunks.find((c) => c.offset + c.bytes.length > offset)!;
    return chunk.bytes[offset - chunk.offset]!;
  }

  /** Lets go of the chunks that end at or before `offset`, and of the cuts before it. */
  #release(offset: number): void {
    while (this.#cuts.length > 0 && this.#cuts[0]! < offset) this.#cuts.shift();
    while (this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      if (first.offset + first.bytes.length > offset) break;
      this.#chunks.shift();
    }
  }
}
