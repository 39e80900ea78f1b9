/**
 * The bytes a kept snapshot may hold, counted member by member: a
 * decompression bomb stops with a message, not with the memory full.
 *
 * @module
 */

import { mib } from "./limits.ts";
import type { Member } from "./read_tar.ts";
import { SourceError } from "../errors/source_error.ts";

/** Counts the bytes of one snapshot's members against the limit. */
export class Budget {
  #bytes = 0;

  /**
   * @param label Names the snapshot in messages: `"rec" snapshot 3`.
   * @param limit Bytes it may hold.
   */
  constructor(readonly label: string, readonly limit: number) {}

  /** @throws {SourceError} When the member takes the snapshot over the limit. */
  add(member: Member): void {
    this.#bytes += member.data.length;
    if (this.#bytes > this.limit) {
      throw new SourceError(
        `Cannot read ${this.label}: more than ${
          mib(this.limit)
        } uncompressed at member "${member.name}" (a decompression bomb?)`,
      );
    }
  }
}
