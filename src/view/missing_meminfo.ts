import { InputError } from "../errors/memsnap_error.ts";

/** A meminfo field a view needs is missing (an older kernel). */
export class MissingMeminfoError extends InputError {
  override readonly name: string = "MissingMeminfoError";
}
