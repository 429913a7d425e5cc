package dev.dimmer.server.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/** Student-t tail probabilities and quantiles that stay accurate for tiny p-values and enormous df. */
final class StudentT {

    /**
     * Beyond this we use the normal: tail probabilities of t(ν) and N(0,1) differ by a relative ≈ (1+z²)/(4ν), under
     * 1e-6 for any z that matters, while the incomplete-beta form of the t CDF only gets harder to evaluate as ν
     * grows (and ν is unbounded: Welch–Satterthwaite with millions of users, or infinite with one constant arm).
     */
    private static final double NORMAL_APPROXIMATION_DF = 1e7;

    /** The default inverse-CDF accuracy (1e-9 absolute) is too coarse to pin CI endpoints to 1e-6 relative. */
    private static final double QUANTILE_ACCURACY = 1e-13;

    private static final NormalDistribution STANDARD_NORMAL =
            new NormalDistribution((RandomGenerator) null, 0, 1, QUANTILE_ACCURACY);

    private StudentT() {}

    /** P(T ≤ t) for T ~ t(df). */
    static double cdf(double t, double df) {
        if (Double.isNaN(t) || Double.isNaN(df)) {
            return Double.NaN;
        }
        if (df >= NORMAL_APPROXIMATION_DF) {
            return STANDARD_NORMAL.cumulativeProbability(t);
        }
        return new TDistribution((RandomGenerator) null, df, QUANTILE_ACCURACY).cumulativeProbability(t);
    }

    /**
     * 2·P(T ≥ |t|). Computed as 2·F(−|t|) rather than the spec's 2(1 − F(|t|)): mathematically the same, but it does
     * not round to 0 once F(|t|) is within 1e-16 of 1.
     */
    static double twoSidedP(double t, double df) {
        return Math.min(1, 2 * cdf(-Math.abs(t), df));
    }

    /** The p-quantile of t(df). */
    static double quantile(double p, double df) {
        if (Double.isNaN(df)) {
            return Double.NaN;
        }
        if (df >= NORMAL_APPROXIMATION_DF) {
            return STANDARD_NORMAL.inverseCumulativeProbability(p);
        }
        return new TDistribution((RandomGenerator) null, df, QUANTILE_ACCURACY).inverseCumulativeProbability(p);
    }
}
