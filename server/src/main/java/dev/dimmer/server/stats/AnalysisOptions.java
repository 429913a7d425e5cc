package dev.dimmer.server.stats;

/**
 * Settings fixed for one analysis run.
 *
 * @param alpha family-wise significance level (0.05 → 95 % intervals)
 * @param sequentialTuning N*: the total sample (both arms) at which the always-valid interval is tightest; choose
 *     the expected total at decision time and keep it fixed for the life of the experiment
 * @param sequential true for always-valid intervals and p-values (scheduled reports, peeking allowed), false for a
 *     single fixed-horizon analysis
 * @param successComparisons m for Bonferroni: number of success metrics × number of treatments (≥ 1); success
 *     metrics are tested at alpha / m, guardrails at alpha
 */
public record AnalysisOptions(double alpha, double sequentialTuning, boolean sequential, int successComparisons) {

    public static final double DEFAULT_ALPHA = 0.05;

    public static final double DEFAULT_SEQUENTIAL_TUNING = 10_000;

    /** α = 0.05, N* = 10 000, sequential on (the default for scheduled reports), one comparison. */
    public static final AnalysisOptions DEFAULTS =
            new AnalysisOptions(DEFAULT_ALPHA, DEFAULT_SEQUENTIAL_TUNING, true, 1);

    public AnalysisOptions {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
        }
        if (!(sequentialTuning > 0)) {
            throw new IllegalArgumentException("sequentialTuning must be > 0, was " + sequentialTuning);
        }
        if (successComparisons < 1) {
            throw new IllegalArgumentException("successComparisons must be >= 1, was " + successComparisons);
        }
    }

    public AnalysisOptions withAlpha(double value) {
        return new AnalysisOptions(value, sequentialTuning, sequential, successComparisons);
    }

    public AnalysisOptions withSequentialTuning(double value) {
        return new AnalysisOptions(alpha, value, sequential, successComparisons);
    }

    public AnalysisOptions withSequential(boolean value) {
        return new AnalysisOptions(alpha, sequentialTuning, value, successComparisons);
    }

    /** Bonferroni over success metrics × treatments. */
    public AnalysisOptions withBonferroni(int successMetrics, int treatments) {
        return new AnalysisOptions(alpha, sequentialTuning, sequential, Math.max(1, successMetrics * treatments));
    }

    /** The level each test of this metric runs at: α / m for success metrics, α for guardrails. */
    public double alphaFor(MetricDefinition metric) {
        return metric.guardrail() ? alpha : alpha / successComparisons;
    }
}
