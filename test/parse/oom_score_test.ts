import { parseOomScore } from "../../src/parse/oom_score.ts";
import { testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const oomScore = { unit: "parseOomScore()", kind: "oom_score", parse: parseOomScore };
testFixtures(oomScore);
testInvalidFixtures(oomScore);
