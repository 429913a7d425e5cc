import type { Split } from '../api/types';

/** Weights are basis points: 10000 = 100%. */
export const TOTAL = 10_000;

export function percent(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(basisPoints % 100 === 0 ? 0 : 2)}%`;
}

/**
 * Sets arm `index` to `weight` and keeps the total at 10000 by moving the difference onto the other arms, the last
 * ones first (so in a two-way split the other arm mirrors the one moved). Nothing goes below 0 or above 10000.
 */
export function rebalance(split: Split[], index: number, weight: number): Split[] {
  const target = Math.max(0, Math.min(TOTAL, Math.round(weight)));
  const next = split.map((arm) => ({ ...arm }));
  next[index].weight = target;
  let excess = next.reduce((sum, arm) => sum + arm.weight, 0) - TOTAL; // > 0: take from others; < 0: give
  for (let i = next.length - 1; i >= 0 && excess !== 0; i--) {
    if (i === index) continue;
    const change = excess > 0 ? Math.min(excess, next[i].weight) : Math.max(excess, next[i].weight - TOTAL);
    next[i].weight -= change;
    excess -= change;
  }
  return next;
}

export function total(split: Split[]): number {
  return split.reduce((sum, arm) => sum + arm.weight, 0);
}

/** An even split over `treatments`, the remainder going to the first arms. */
export function evenSplit(treatments: string[]): Split[] {
  const base = Math.floor(TOTAL / treatments.length);
  const remainder = TOTAL - base * treatments.length;
  return treatments.map((treatment, i) => ({ treatment, weight: base + (i < remainder ? 1 : 0) }));
}
