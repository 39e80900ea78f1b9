/**
 * The CLI's errors: memsnap's error model (src/errors), re-exported for
 * the CLI's modules.
 *
 * @module
 */

export { EXIT, EXIT_OF_KIND, UsageError } from "../errors/memsnap_error.ts";
