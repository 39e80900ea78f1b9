import assert from "node:assert/strict";
import { parseVersion } from "../../src/parse/version.ts";
import { testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const version = { unit: "parseVersion()", kind: "version", parse: parseVersion };
testFixtures(version);
testInvalidFixtures(version);

Deno.test('parseVersion() returns the release, the word after "Linux version"', () => {
  const text = "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) " +
    "(gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)\n";
  assert.equal(parseVersion(text, "version"), "6.1.0-13-amd64");
});
