/** Answers of serve's use cases, for tests that call them without HTTP. */

import assert from "node:assert/strict";
import type { Answer, StreamedAnswer } from "../../src/app/serve.ts";

/** A text answer (every endpoint but the capture and the stream). */
export function text(answer: Answer | StreamedAnswer): Answer {
  assert.ok(!("stream" in answer), "a streamed answer");
  return answer as Answer;
}
