import assert from "node:assert/strict";
import { addPoint, MAX_POINTS, samplePoints, startSample } from "../../src/diff/series_sample.ts";

/** A sample of values 0, 1, 2... at times 0, 10, 20... ms. */
function sampleOf(count: number) {
  const sample = startSample();
  for (let i = 0; i < count; i++) addPoint(sample, i * 10, i);
  return samplePoints(sample);
}

Deno.test("a series sample keeps up to MAX_POINTS points whole", () => {
  assert.deepEqual(sampleOf(3), [{ t: 0, v: 0 }, { t: 10, v: 1 }, { t: 20, v: 2 }]);
  const full = sampleOf(MAX_POINTS - 1);
  assert.equal(full.length, MAX_POINTS - 1);
  assert.deepEqual(full.at(-1), { t: (MAX_POINTS - 2) * 10, v: MAX_POINTS - 2 });
  assert.deepEqual(sampleOf(0), []);
});

Deno.test("a series sample merges neighbours into their means when full, then averages wider buckets", () => {
  // The 64th value fills it: 32 means of two.
  const merged = sampleOf(MAX_POINTS);
  assert.equal(merged.length, MAX_POINTS / 2);
  assert.deepEqual(merged.slice(0, 2), [{ t: 5, v: 0.5 }, { t: 25, v: 2.5 }]);
  // One value more is a bucket being filled, shown as its mean so far.
  assert.deepEqual(sampleOf(MAX_POINTS + 1).at(-1), { t: MAX_POINTS * 10, v: MAX_POINTS });
  assert.deepEqual(sampleOf(MAX_POINTS + 2).at(-1), {
    t: MAX_POINTS * 10 + 5,
    v: MAX_POINTS + 0.5,
  });
  // However long the series, at most MAX_POINTS points, evenly spread, the mean kept.
  for (const count of [1000, 4096, 10_001]) {
    const kept = sampleOf(count);
    assert.ok(
      kept.length <= MAX_POINTS && kept.length >= MAX_POINTS / 2,
      `${count}: ${kept.length}`,
    );
    const width = 2 ** Math.floor(Math.log2(count / (MAX_POINTS / 2)));
    const whole = Math.floor(count / width) * width;
    const mean = kept.slice(0, whole / width).reduce((sum, p) => sum + p.v, 0) / (whole / width);
    assert.equal(mean, (whole - 1) / 2, String(count));
  }
});
