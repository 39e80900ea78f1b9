import assert from "node:assert/strict";
import {
  isLeakSuspect,
  LEAK_RULE,
  mannKendall,
  type Point,
  senSlope,
  trendStats,
} from "../../src/diff/leak.ts";
import { seededRandom } from "../_helpers/random.ts";

const M = 1024;
const SECOND = 1000;

/** Values one second apart, from 0 ms. */
const points = (values: readonly number[]): Point[] => values.map((v, i) => ({ t: i * SECOND, v }));

/** Whether values one second apart make a suspect. */
function suspect(values: readonly number[]): boolean {
  const stats = trendStats(points(values));
  return isLeakSuspect({
    ...stats,
    growth: values.at(-1)! - values[0]!,
    spanMs: (values.length - 1) * SECOND,
  });
}

Deno.test("mannKendall(): S counts rising pairs minus falling ones; Z is corrected for ties and continuity", () => {
  assert.deepEqual(mannKendall([1, 2, 3, 4]), { s: 6, z: 5 / Math.sqrt((4 * 3 * 13) / 18) });
  assert.deepEqual(mannKendall([4, 3, 2, 1]), { s: -6, z: -5 / Math.sqrt((4 * 3 * 13) / 18) });
  // Two pairs of ties: σ² = (4·3·13 − 2·(2·1·9)) / 18.
  assert.deepEqual(mannKendall([1, 1, 2, 2]), { s: 4, z: 3 / Math.sqrt((156 - 36) / 18) });
  assert.deepEqual(mannKendall([5, 5, 5]), { s: 0, z: 0 });
  assert.deepEqual(mannKendall([5]), { s: 0, z: 0 });
  // Three rising values cannot be significant; four can.
  assert.ok(mannKendall([1, 2, 3]).z < LEAK_RULE.minZ);
  assert.ok(mannKendall([1, 2, 3, 4]).z >= LEAK_RULE.minZ);
});

Deno.test("senSlope(): the median slope of all pairs, unswayed by one outlier; none without two times", () => {
  const line = points([0, 2, 4, 6, 8, 10, 12]);
  assert.equal(senSlope(line), 2 / SECOND);
  const outlier = line.map((p, i) => i === 3 ? { ...p, v: 1e6 } : p);
  assert.equal(senSlope(outlier), 2 / SECOND);
  // An even number of slopes: the mean of the middle two (0 and 1 per second here).
  assert.equal(senSlope(points([0, 0, 1])), 0.5 / SECOND);
  assert.equal(senSlope([{ t: 5, v: 1 }, { t: 5, v: 9 }]), undefined);
  assert.equal(senSlope([]), undefined);
  assert.deepEqual(trendStats(points([7])), {
    z: undefined,
    ratePerHour: undefined,
    recentRatePerHour: undefined,
    spanMs: 0,
  });
  // Two points: one pair (S = 1, Z = 0 by the continuity correction); only the last in the later half.
  assert.deepEqual(trendStats(points([0, 2 * M])), {
    z: 0,
    ratePerHour: 2 * M * 3600,
    recentRatePerHour: undefined,
    spanMs: SECOND,
  });
});

Deno.test("isLeakSuspect(): steady growth with dips, steps or a plateau on the way", () => {
  // 254 kB → 120 MiB, PSS dipping by 2 to 70 kB a few times (the recording, at 1 s).
  assert.ok(suspect([254, 9 * M, 9 * M - 70, 31 * M, 53 * M, 53 * M - 2, 76 * M, 98 * M, 120 * M]));
  // Every step of a staircase sampled twice.
  assert.ok(suspect([M, M, 2 * M, 2 * M, 3 * M, 3 * M, 4 * M, 4 * M]));
  // A plateau in the middle of steady growth.
  assert.ok(suspect([0, M, 2 * M, 3 * M, 3 * M, 3 * M, 3 * M, 4 * M, 5 * M, 6 * M]));
  // A sawtooth whose troughs rise: a leak under a collector.
  assert.ok(suspect([10, 14, 11, 15, 12, 16, 13, 17, 14, 18].map((v) => v * M)));
});

Deno.test("isLeakSuspect(): not under 1 MiB, not a fall, not a jump then a plateau, not too few points", () => {
  // Steady but small: 900 kB in all.
  assert.ok(!suspect([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]));
  assert.ok(!suspect([9 * M, 8 * M, 7 * M, 6 * M, 5 * M]));
  // Start-up then flat: a significant Z, but no slope.
  assert.ok(!suspect([200, 8 * M, 8 * M, 8 * M, 8 * M, 8 * M, 8 * M, 8 * M, 8 * M, 8 * M]));
  // Grew and gave it back.
  assert.ok(!suspect([M, 5 * M, 9 * M, 13 * M, 9 * M, 5 * M, 2 * M, M]));
  // Three values rising by 50 MiB: too few to tell a trend from chance.
  assert.ok(!suspect([0, 50 * M, 100 * M]));
  assert.ok(suspect([0, 50 * M, 100 * M, 150 * M]));
  const sure = { growth: 1e6, z: 5, ratePerHour: 1e9, recentRatePerHour: 1e9, spanMs: 1e6 };
  assert.ok(isLeakSuspect(sure));
  assert.ok(!isLeakSuspect({ ...sure, growth: undefined }));
  assert.ok(!isLeakSuspect({ ...sure, z: undefined }));
  assert.ok(!isLeakSuspect({ ...sure, recentRatePerHour: undefined }));
});

Deno.test("isLeakSuspect(): a start-up that takes a third of a short recording, then a plateau, is not one", () => {
  // A python3 started with the recording, sampled every second: 0.7 → 9.4 MiB in 3 s, then flat
  // but for noise. Over the whole span it rose consistently, and its Theil–Sen slope over the
  // span is 1 MiB and more; in its later half it does not grow.
  const values = [677, 3 * M, 6 * M, 9630, 9630, 9634, 9630, 9638, 9634];
  const stats = trendStats(points(values));
  assert.ok(stats.z! >= LEAK_RULE.minZ);
  assert.ok(stats.ratePerHour! * stats.spanMs / 3_600_000 >= LEAK_RULE.minGrowthKb);
  // Its later half's noise: 5400 kB/h, 12 kB over the 8 s.
  assert.equal(stats.recentRatePerHour, 5400);
  assert.ok(!suspect(values));
  // The grower of the same recording: still growing in its later half.
  assert.ok(suspect([401, 40557, 71281, 71217, 71217, 101941, 132665, 132665, 132655]));
});

Deno.test("isLeakSuspect() on noise: a flat series of ±2 MiB seldom is one, a leak of 6 MiB under it always", () => {
  const random = seededRandom(20);
  const noise = () => (random.next() - 0.5) * 4 * M;
  let flat = 0;
  let leaking = 0;
  for (let round = 0; round < 200; round++) {
    const n = 60;
    if (suspect(Array.from({ length: n }, () => 100 * M + noise()))) flat++;
    if (suspect(Array.from({ length: n }, (_, i) => 100 * M + (6 * M * i) / n + noise()))) {
      leaking++;
    }
  }
  // A one-sided 5 % test: 3 flat series in 200 pass it and end 1 MiB higher by chance.
  assert.deepEqual([flat, leaking], [3, 200]);
});
