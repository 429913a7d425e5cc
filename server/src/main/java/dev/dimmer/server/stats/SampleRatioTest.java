package dev.dimmer.server.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Sample-ratio mismatch (Fabijan et al. 2019): if the arms' user counts are far from the configured split, users
 * were lost or duplicated in a treatment-dependent way and every metric comparison is suspect.
 *
 * <p><b>Why an always-valid test decides.</b> The check runs on every analysis cycle, on counts that only grow, so a
 * fixed-horizon test at p &lt; 0.001 is looked at hundreds of times per flag: the chance that a healthy flag crosses
 * 0.001 at <em>some</em> look is many times 0.001 (in the it's-me runs, 2 of 180 healthy flags were halted by a
 * false SRM). The decision therefore uses the sequential multinomial test of Lindon &amp; Malek (2022, "Anytime-Valid
 * Inference for Multinomial Count Data", the test behind Optimizely's SSRM): a Dirichlet mixture over the arms'
 * true shares, centred on the configured split with concentration {@link #PRIOR_CONCENTRATION}, gives the Bayes factor
 * BF = [Γ(A)/Γ(A+N)] · Πᵢ Γ(αᵢ+nᵢ)/Γ(αᵢ) / Πᵢ wᵢ^nᵢ (αᵢ = A·wᵢ). Under the null it is a nonnegative martingale, so
 * by Ville's inequality P(BF ever ≥ 1/α) ≤ α however often it is looked at; p = min(1, 1/BF) is compared with
 * {@link #MISMATCH_P_VALUE}. It depends only on the cumulative counts, so no state is kept between cycles.
 *
 * <p>The one-off Pearson χ² = Σ (oᵢ − eᵢ)²/eᵢ (df = k − 1, p = Q((k−1)/2, χ²/2), the regularised upper gamma keeping
 * precision for tiny p) is still reported, as what a single look would say and to compare with other tools.
 */
public final class SampleRatioTest {

    /** Below this always-valid p the report is flagged untrustworthy: at most 1 in 1000 healthy flags, ever. */
    public static final double MISMATCH_P_VALUE = 0.001;

    /** The χ² approximation needs expected counts of at least this many users per arm. */
    public static final double MIN_EXPECTED_USERS_PER_ARM = 8;

    /**
     * A, the Dirichlet prior's concentration: its shares spread about ±√(w(1−w)/A) around the split, so A = 100 is
     * tuned to imbalances of a few points, which an SRM from a crash, a redirect or a bot usually is. It keeps a
     * 1000 vs 1200 split detected (p 0.0008) and loses little for small imbalances at large N: the threshold grows
     * only with ln(N/A). Optimizely's default, 10 000, needs tens of thousands of users before it can fire at all.
     */
    public static final double PRIOR_CONCENTRATION = 100;

    private SampleRatioTest() {}

    /**
     * @param observed users per arm, cumulative since the experiment's first exposure
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
            return SrmResult.notEnoughData(Math.max(df, 0));
        }
        double chiSquare = 0;
        // ln BF, accumulated in log space (the counts reach millions)
        double logBayesFactor = Gamma.logGamma(PRIOR_CONCENTRATION) - Gamma.logGamma(PRIOR_CONCENTRATION + total);
        for (int i = 0; i < observed.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            double share = weights[i] / totalWeight;
            double expected = total * share;
            if (expected < MIN_EXPECTED_USERS_PER_ARM) {
                return SrmResult.notEnoughData(df);
            }
            double deviation = observed[i] - expected;
            chiSquare += deviation * deviation / expected;
            double prior = PRIOR_CONCENTRATION * share;
            logBayesFactor +=
                    Gamma.logGamma(prior + observed[i]) - Gamma.logGamma(prior) - observed[i] * Math.log(share);
        }
        double p = Math.min(1, Math.exp(-logBayesFactor));
        double chiSquarePValue = Gamma.regularizedGammaQ(df / 2.0, chiSquare / 2);
        return new SrmResult(
                p < MISMATCH_P_VALUE ? SrmStatus.MISMATCH : SrmStatus.OK, p, chiSquare, df, chiSquarePValue);
    }
}
