package dev.dimmer.server.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Sample-ratio mismatch (Fabijan et al. 2019): if the arms' user counts are far from the configured split, users
 * were lost or duplicated in a treatment-dependent way and every metric comparison is suspect.
 *
 * <p>Pearson χ² = Σ (oᵢ − eᵢ)²/eᵢ with eᵢ = N·wᵢ/Σw, df = k − 1, p = Q((k−1)/2, χ²/2). The regularised upper gamma
 * function keeps full relative precision for tiny p, unlike 1 − CDF.
 */
public final class SampleRatioTest {

    /** Below this p the report is flagged untrustworthy (strict, because the check runs on every report). */
    public static final double MISMATCH_P_VALUE = 0.001;

    /** The χ² approximation needs expected counts of at least this many users per arm. */
    public static final double MIN_EXPECTED_USERS_PER_ARM = 8;

    private SampleRatioTest() {}

    /**
     * @param observed users per arm
     * @param weights configured traffic weights, same order, any scale (50/50, 0.5/0.5, 1/1); 0 = arm not
     *     in the split, ignored
     */
    public static SrmResult test(long[] observed, double[] weights) {
        if (observed.length != weights.length) {
            throw new IllegalArgumentException("need as many weights as observed counts");
        }
        double totalWeight = 0;
        long total = 0;
        int weightedArms = 0;
        for (int i = 0; i < observed.length; i++) {
            if (!(weights[i] >= 0) || observed[i] < 0) {
                throw new IllegalArgumentException("weights and counts must be >= 0");
            }
            // A 0 % arm is left out entirely (as gbstats does): no users are expected there, and it adds no df.
            if (weights[i] > 0) {
                totalWeight += weights[i];
                total += observed[i];
                weightedArms++;
            }
        }
        int df = weightedArms - 1;
        if (weightedArms < 2) {
            return new SrmResult(SrmStatus.NOT_ENOUGH_DATA, Double.NaN, Math.max(df, 0), Double.NaN);
        }
        double chiSquare = 0;
        for (int i = 0; i < observed.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double expected = total * weights[i] / totalWeight;
            if (expected < MIN_EXPECTED_USERS_PER_ARM) {
                return new SrmResult(SrmStatus.NOT_ENOUGH_DATA, Double.NaN, df, Double.NaN);
            }
            double deviation = observed[i] - expected;
            chiSquare += deviation * deviation / expected;
        }
        double p = Gamma.regularizedGammaQ(df / 2.0, chiSquare / 2);
        return new SrmResult(p < MISMATCH_P_VALUE ? SrmStatus.MISMATCH : SrmStatus.OK, chiSquare, df, p);
    }
}
