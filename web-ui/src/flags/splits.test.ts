import { describe, expect, it } from 'vitest';
import { evenSplit, rebalance, total } from './splits';

describe('rebalance', () => {
  it('mirrors the other arm of a two-way split', () => {
    const next = rebalance([{ treatment: 'on', weight: 500 }, { treatment: 'off', weight: 9500 }], 0, 1000);
    expect(next).toEqual([{ treatment: 'on', weight: 1000 }, { treatment: 'off', weight: 9000 }]);
  });

  it('takes from the last arms first and never goes below zero', () => {
    const next = rebalance(
      [
        { treatment: 'a', weight: 3334 },
        { treatment: 'b', weight: 3333 },
        { treatment: 'c', weight: 3333 },
      ],
      0,
      8000,
    );
    expect(next.map((s) => s.weight)).toEqual([8000, 2000, 0]);
    expect(total(next)).toBe(10000);
  });

  it('gives back to the last arm when one shrinks, and clamps to 0–100%', () => {
    const next = rebalance([{ treatment: 'a', weight: 8000 }, { treatment: 'b', weight: 2000 }, { treatment: 'c', weight: 0 }], 0, -50);
    expect(next.map((s) => s.weight)).toEqual([0, 2000, 8000]);
  });

  it('splits evenly with the remainder on the first arms', () => {
    expect(evenSplit(['a', 'b', 'c']).map((s) => s.weight)).toEqual([3334, 3333, 3333]);
  });
});

describe('forestDomain', () => {
  it('holds every interval and 0 on round ticks', async () => {
    const { forestDomain } = await import('../reports/forest');
    const row = { row: 0, treatment: 'on', estimate: 1, lower: -0.691, upper: 2.691, error: [0, 0] as [number, number], relative: true, pValue: 0.4, verdict: 'INCONCLUSIVE', guardrailStatus: null };
    expect(forestDomain([row])).toEqual([-1, 3]);
    expect(forestDomain([{ ...row, lower: 0.02, upper: 0.08 }])).toEqual([0, 0.08]);
  });
});
