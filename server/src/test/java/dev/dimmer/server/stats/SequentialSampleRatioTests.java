package dev.dimmer.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SRM decision is an always-valid test because it is repeated every analysis cycle (see {@link SampleRatioTest}).
 * Reference values are the Dirichlet-multinomial Bayes factor computed independently (Python's {@code math.lgamma},
 * the formula of Optimizely's {@code ssrm_test} with {@code dirichlet_concentration = 100}).
 */
class SequentialSampleRatioTests {

    @Test
    void pValueIsTheInverseBayesFactorOfTheDirichletMixture() {
        assertThat(SampleRatioTest.test(new long[] {1000, 1200}, new double[] {50, 50})
                        .pValue())
                .isCloseTo(7.9251281976e-4, within(1e-13));
        assertThat(SampleRatioTest.test(new long[] {1400, 1000}, new double[] {1, 1})
                        .pValue())
                .isCloseTo(5.458139928e-14, within(1e-22));
        assertThat(SampleRatioTest.test(new long[] {500, 500, 600}, new double[] {0.34, 0.33, 0.33})
                        .pValue())
                .isCloseTo(0.0177853472906, within(1e-12));
        // a 90/10 ramp: the evidence for a mismatch is weighed against the configured split, not against 50/50
        assertThat(SampleRatioTest.test(new long[] {900, 100}, new double[] {90, 10})
                        .pValue())
                .isEqualTo(1.0);
        assertThat(SampleRatioTest.test(new long[] {800, 200}, new double[] {90, 10})
                        .pValue())
                .isCloseTo(6.70030153755e-18, within(1e-26));
    }

    @Test
    void theDecisionFollowsTheAlwaysValidPValue_notTheSingleLookChiSquare() {
        // 500/500/600 is p 0.0006 for a single χ² look, but not yet evidence that survives repeated looks
        SrmResult threeArms = SampleRatioTest.test(new long[] {500, 500, 600}, new double[] {0.34, 0.33, 0.33});
        assertThat(threeArms.chiSquarePValue()).isLessThan(SampleRatioTest.MISMATCH_P_VALUE);
        assertThat(threeArms.status()).isEqualTo(SrmStatus.OK);
        // with more of the same imbalance it is
        SrmResult more = SampleRatioTest.test(new long[] {1000, 1000, 1200}, new double[] {0.34, 0.33, 0.33});
        assertThat(more.status()).isEqualTo(SrmStatus.MISMATCH);
        assertThat(more.trustworthy()).isFalse();
    }

    @Test
    void tooFewUsersAreNotTested() {
        SrmResult tiny = SampleRatioTest.test(new long[] {3, 12}, new double[] {1, 1});
        assertThat(tiny.status()).isEqualTo(SrmStatus.NOT_ENOUGH_DATA);
        assertThat(tiny.pValue()).isNaN();
        assertThat(tiny.chiSquarePValue()).isNaN();
    }

    /**
     * A/A: 1000 healthy 50/50 experiments, each looked at 200 times as users arrive (100 per look, up to 20 000). A
     * single-look χ² at p &lt; 0.001 repeated at every look wrongly flags many of them; the always-valid test at most
     * about 1 in 1000 (Ville's inequality). The seed is fixed, so the counts are the same on every run.
     */
    @Test
    void repeatedLooksAtHealthyExperimentsRarelyRaiseAMismatch() {
        SplittableRandom random = new SplittableRandom(20261202);
        double[] split = {0.5, 0.5};
        int sequentialFalseAlarms = 0;
        int repeatedChiSquareFalseAlarms = 0;
        for (int experiment = 0; experiment < 1000; experiment++) {
            long[] counts = new long[2];
            boolean sequentialFired = false;
            boolean chiSquareFired = false;
            for (int look = 0; look < 200; look++) {
                for (int user = 0; user < 100; user++) {
                    counts[random.nextBoolean() ? 0 : 1]++;
                }
                SrmResult result = SampleRatioTest.test(counts, split);
                sequentialFired |= result.status() == SrmStatus.MISMATCH;
                chiSquareFired |= result.chiSquarePValue() < SampleRatioTest.MISMATCH_P_VALUE;
            }
            sequentialFalseAlarms += sequentialFired ? 1 : 0;
            repeatedChiSquareFalseAlarms += chiSquareFired ? 1 : 0;
        }
        assertThat(sequentialFalseAlarms)
                .as("always-valid false alarms in 1000")
                .isLessThanOrEqualTo(2);
        assertThat(repeatedChiSquareFalseAlarms)
                .as("repeated single-look χ² false alarms in 1000 (what the check did before)")
                .isGreaterThanOrEqualTo(5);
    }

    /** A real mismatch of two points (52/48) is found as users keep arriving, and stays found. */
    @Test
    void aSmallRealMismatchIsFoundAsUsersArrive() {
        SplittableRandom random = new SplittableRandom(7);
        long[] counts = new long[2];
        long foundAt = -1;
        for (int look = 0; look < 500 && foundAt < 0; look++) {
            for (int user = 0; user < 100; user++) {
                counts[random.nextDouble() < 0.52 ? 0 : 1]++;
            }
            if (SampleRatioTest.test(counts, new double[] {1, 1}).status() == SrmStatus.MISMATCH) {
                foundAt = counts[0] + counts[1];
            }
        }
        assertThat(foundAt).as("users when the mismatch was found").isBetween(1_000L, 50_000L);
    }
}
