package dev.dimmer.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GrowthBook gbstats reference vectors. Sources (github.com/growthbook/growthbook):
 *
 * <ul>
 *   <li>T = packages/stats/tests/frequentist/test_tests.py (TestTwoSidedTTest, TestSequentialTTest,
 *       TestOneSidedGreaterTTest); its inputs are sufficient statistics and its expectations are rounded to 5
 *       decimals (np.round), so those are checked to ±5e-6 absolute, and the unrounded ones to 1e-6 relative;
 *   <li>D = the 10-digit values quoted in DESIGN §5 for T's first case (computed from the same inputs);
 *   <li>G = packages/stats/tests/test_gbstats.py test_srm; U = packages/stats/tests/test_utils.py TestCheckSrm
 *       (both 9 decimals).
 * </ul>
 */
class GbstatsReferenceVectorsTests {

    private static final double REL = 1e-6;

    private static final double ROUNDED_5 = 5e-6 + 1e-12;

    private static final MetricDefinition REVENUE =
            MetricDefinition.success("revenue", "Revenue", Aggregation.SUM, Direction.INCREASE);

    private static final AnalysisOptions FIXED = AnalysisOptions.DEFAULTS.withSequential(false);

    // T: mean 0.41 var 15.21 (n 3407) vs mean 0.70 var 38.44 (n 3461)
    private static final SufficientStatistics CONTROL_3407 = SufficientStatistics.of(3407, 1396.87, 52377.9767);

    private static final SufficientStatistics TREATMENT_3461 = SufficientStatistics.of(3461, 2422.7, 134698.29);

    private static final SufficientStatistics CONTROL_3000 = SufficientStatistics.of(3000, 1396.87, 52377.9767);

    private static TreatmentResult compare(
            AnalysisOptions options, MetricDefinition metric, SufficientStatistics c, SufficientStatistics t) {
        return new ExperimentAnalyzer(options).compare(metric, new Arm("control", c), new Arm("treatment", t));
    }

    private static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * REL));
    }

    @Test
    void relativeWelch_matchesDesignTenDigitValues_T_test_two_sided_ttest() {
        Effect relative = compare(FIXED, REVENUE, CONTROL_3407, TREATMENT_3461).relative();

        assertRelative(relative.estimate(), 0.7073170732);
        assertRelative(relative.standardError(), 0.3787943617);
        assertRelative(relative.pValue(), 0.0619118275);
        assertRelative(relative.confidenceInterval().lower(), -0.0352600891);
        assertRelative(relative.confidenceInterval().upper(), 1.4498942354);
        // and gbstats' own rounded expectations
        assertThat(relative.confidenceInterval().lower()).isCloseTo(-0.03526, offset(ROUNDED_5));
        assertThat(relative.confidenceInterval().upper()).isCloseTo(1.44989, offset(ROUNDED_5));
        assertThat(relative.standardError()).isCloseTo(0.37879, offset(ROUNDED_5));
        assertThat(relative.pValue()).isCloseTo(0.06191, offset(ROUNDED_5));
    }

    @Test
    void absoluteWelch_T_test_two_sided_ttest_absolute() {
        Effect absolute = compare(FIXED, REVENUE, CONTROL_3407, TREATMENT_3461).absolute();

        assertRelative(absolute.estimate(), 0.29);
        assertRelative(absolute.pValue(), 0.0201584026); // D
        assertThat(absolute.confidenceInterval().lower()).isCloseTo(0.04538, offset(ROUNDED_5));
        assertThat(absolute.confidenceInterval().upper()).isCloseTo(0.53462, offset(ROUNDED_5));
        assertThat(absolute.standardError()).isCloseTo(0.12478, offset(ROUNDED_5));
        assertThat(absolute.pValue()).isCloseTo(0.02016, offset(ROUNDED_5));
    }

    @Test
    void proportions_T_test_two_sided_ttest_binom() {
        MetricDefinition conversion =
                MetricDefinition.success("signup", "Signup", Aggregation.CONVERSION, Direction.INCREASE);
        Effect relative = compare(
                        FIXED,
                        conversion,
                        SufficientStatistics.conversions(28, 14),
                        SufficientStatistics.conversions(30, 16))
                .relative();

        assertRelative(relative.estimate(), (16 / 30.0 - 0.5) / 0.5);
        assertThat(relative.confidenceInterval().lower()).isCloseTo(-0.47767, offset(ROUNDED_5));
        assertThat(relative.confidenceInterval().upper()).isCloseTo(0.61101, offset(ROUNDED_5));
        assertThat(relative.standardError()).isCloseTo(0.2717, offset(ROUNDED_5));
        assertThat(relative.pValue()).isCloseTo(0.80707, offset(ROUNDED_5));
    }

    @Test
    void sequential_T_test_sequential_test_runs_withTuning1000() {
        AnalysisOptions options = AnalysisOptions.DEFAULTS.withSequentialTuning(1000);
        Effect relative =
                compare(options, REVENUE, CONTROL_3000, TREATMENT_3461).relative();

        assertThat(relative.estimate()).isCloseTo(0.50336, offset(ROUNDED_5));
        assertThat(relative.standardError()).isCloseTo(0.33341, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().lower()).isCloseTo(-0.55844, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().upper()).isCloseTo(1.56516, offset(ROUNDED_5));
        assertThat(relative.sequentialPValue()).isEqualTo(1.0);
    }

    @Test
    void sequentialProportions_T_test_sequential_test_runs_prop_withGbstatsDefaultTuning5000() {
        MetricDefinition conversion =
                MetricDefinition.success("signup", "Signup", Aggregation.CONVERSION, Direction.INCREASE);
        AnalysisOptions options = AnalysisOptions.DEFAULTS.withSequentialTuning(5000);
        Effect relative = compare(
                        options,
                        conversion,
                        SufficientStatistics.conversions(3000, 1396),
                        SufficientStatistics.conversions(3461, 2422))
                .relative();

        assertThat(relative.estimate()).isCloseTo(0.50386, offset(ROUNDED_5));
        assertThat(relative.standardError()).isCloseTo(0.03386, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().lower()).isCloseTo(0.40098, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().upper()).isCloseTo(0.60675, offset(ROUNDED_5));
        assertThat(relative.sequentialPValue()).isLessThan(5e-6);
    }

    @Test
    void cupedSequential_T_test_sequential_test_runs_ra() {
        // RegressionAdjustedStatistic: post as above, pre sums 16.87/527.9767 and 22.7/1348.29, Σ post·pre = 1
        SufficientStatistics control = new SufficientStatistics(3000, 1396.87, 52377.9767, 16.87, 527.9767, 1);
        SufficientStatistics treatment = new SufficientStatistics(3461, 2422.7, 134698.29, 22.7, 1348.29, 1);
        AnalysisOptions options = AnalysisOptions.DEFAULTS.withSequentialTuning(5000);
        TreatmentResult result = compare(options, REVENUE.withCuped(true), control, treatment);
        Effect relative = result.relative();

        assertThat(result.cupedTheta()).isNotZero();
        assertThat(relative.estimate()).isCloseTo(0.50338, offset(ROUNDED_5));
        assertThat(relative.standardError()).isCloseTo(0.33341, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().lower()).isCloseTo(-0.50969, offset(ROUNDED_5));
        assertThat(relative.sequentialInterval().upper()).isCloseTo(1.51646, offset(ROUNDED_5));
        assertThat(relative.sequentialPValue()).isEqualTo(1.0);
    }

    @Test
    void nonInferiorityLowerBound_T_TestOneSidedGreaterTTest() {
        TreatmentResult result = compare(FIXED, REVENUE, CONTROL_3000, TREATMENT_3461);

        Effect relative = result.relative();
        assertRelative(relative.estimate(), 0.5033610858562358);
        assertRelative(relative.standardError(), 0.3334122146400735);
        assertRelative(WelchTest.oneSidedLowerBound(relative, 1, 0.05), -0.045136675850396046);
        assertRelative(
                1 - StudentT.cdf(relative.estimate() / relative.standardError(), relative.degreesOfFreedom()),
                0.06558262868467746);

        Effect absolute = result.absolute();
        assertRelative(absolute.estimate(), 0.23437666666666668);
        assertRelative(absolute.standardError(), 0.12983081254184736);
        assertRelative(WelchTest.oneSidedLowerBound(absolute, 1, 0.05), 0.020791480063255735);
        assertRelative(
                1 - StudentT.cdf(absolute.estimate() / absolute.standardError(), absolute.degreesOfFreedom()),
                0.03554272489873023);
    }

    @Test
    void sampleRatioMismatch_G_test_srm_and_U_TestCheckSrm() {
        SrmResult twoArms = SampleRatioTest.test(new long[] {1000, 1200}, new double[] {0.5, 0.5});
        assertRelative(twoArms.chiSquarePValue(), 2.007865612e-05); // D
        assertThat(twoArms.chiSquarePValue()).isCloseTo(0.000020079, offset(5e-10)); // G
        assertThat(twoArms.status()).isEqualTo(SrmStatus.MISMATCH);

        assertThat(SampleRatioTest.test(new long[] {310, 98}, new double[] {0.75, 0.25})
                        .chiSquarePValue())
                .isCloseTo(0.647434186, offset(5e-10));
        assertThat(SampleRatioTest.test(new long[] {500, 500, 600}, new double[] {0.34, 0.33, 0.33})
                        .chiSquarePValue())
                .isCloseTo(0.000592638, offset(5e-10));
        assertThat(SampleRatioTest.test(new long[] {500, 500}, new double[] {0.5, 0.5})
                        .chiSquarePValue())
                .isEqualTo(1.0);
        // a 0 % arm is ignored
        assertThat(SampleRatioTest.test(new long[] {1000, 1200, 900}, new double[] {0.5, 0.5, 0})
                        .chiSquarePValue())
                .isCloseTo(0.000020079, offset(5e-10));
    }

    @Test
    void analyzeReturnsOneResultPerTreatmentInOrder() {
        MetricResult result = new ExperimentAnalyzer(FIXED)
                .analyze(
                        REVENUE,
                        new Arm("off", CONTROL_3407),
                        List.of(new Arm("a", TREATMENT_3461), new Arm("b", CONTROL_3407)));

        assertThat(result.treatments()).extracting(TreatmentResult::treatment).containsExactly("a", "b");
        assertThat(result.controlMean()).isCloseTo(0.41, within(1e-12));
    }
}
