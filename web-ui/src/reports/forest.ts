import type { TreatmentView } from '../api/types';

/** One row of a forest plot: a treatment's lift and the interval its verdict used. */
export interface ForestRow {
  row: number;
  treatment: string;
  estimate: number;
  lower: number;
  upper: number;
  /** [estimate − lower, upper − estimate], what an error bar draws. */
  error: [number, number];
  relative: boolean;
  pValue: number | null;
  verdict: string;
  guardrailStatus: string | null;
}

/**
 * The headline effect of each treatment, as the verdict reads it: relative lift when the control mean is not 0, else
 * the absolute difference; the always-valid interval when the analysis is sequential, the fixed one otherwise.
 * Treatments without a computable interval are left out (the table still lists them).
 */
export function forestRows(treatments: TreatmentView[]): ForestRow[] {
  return treatments.flatMap((t, i) => {
    const relative = t.relative?.estimate != null && t.relative.confidenceInterval?.lower != null;
    const effect = relative ? t.relative : t.absolute;
    const interval = t.sequential ? effect?.sequentialInterval : effect?.confidenceInterval;
    const estimate = effect?.estimate;
    const lower = interval?.lower;
    const upper = interval?.upper;
    if (estimate == null || lower == null || upper == null || !Number.isFinite(lower) || !Number.isFinite(upper)) return [];
    return [
      {
        row: i,
        treatment: t.treatment,
        estimate,
        lower,
        upper,
        error: [estimate - lower, upper - estimate] as [number, number],
        relative,
        pValue: (t.sequential ? effect?.sequentialPValue : effect?.pValue) ?? null,
        verdict: t.verdict,
        guardrailStatus: t.guardrailStatus ?? null,
      },
    ];
  });
}

/** An axis range that holds every interval and 0, rounded out to a round step so the ticks read well. */
export function forestDomain(rows: ForestRow[]): [number, number] {
  const low = Math.min(0, ...rows.map((r) => r.lower));
  const high = Math.max(0, ...rows.map((r) => r.upper));
  const step = niceStep((high - low) / 4 || 0.01);
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
}

export function formatLift(value: number, relative: boolean): string {
  return relative ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%` : `${value >= 0 ? '+' : ''}${value.toPrecision(3)}`;
}
