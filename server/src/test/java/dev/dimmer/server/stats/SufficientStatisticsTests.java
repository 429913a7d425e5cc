package dev.dimmer.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SufficientStatisticsTests {

    private static final MetricDefinition SPEND =
            MetricDefinition.success("spend", "Spend", Aggregation.SUM, Direction.INCREASE);

    @Test
    void plus_addsEverySum() {
        SufficientStatistics a = new SufficientStatistics(3, 1, 2, 3, 4, 5);
        SufficientStatistics b = new SufficientStatistics(4, 10, 20, 30, 40, 50);

        assertThat(a.plus(b)).isEqualTo(new SufficientStatistics(7, 11, 22, 33, 44, 55));
        assertThat(a.plus(SufficientStatistics.EMPTY)).isEqualTo(a);
    }

    @Test
    void plus_mergedDailyBatchesGiveTheSameResultAsOneScan() {
        double[] users = new double[600];
        for (int i = 0; i < users.length; i++) {
            users[i] = (i * 37 % 101) / 7.0;
        }
        SufficientStatistics allAtOnce = SufficientStatistics.EMPTY;
        SufficientStatistics day1 = SufficientStatistics.EMPTY;
        SufficientStatistics day2 = SufficientStatistics.EMPTY;
        for (int i = 0; i < users.length; i++) {
            SufficientStatistics one = SufficientStatistics.of(1, users[i], users[i] * users[i]);
            allAtOnce = allAtOnce.plus(one);
            if (i < 250) {
                day1 = day1.plus(one);
            } else {
                day2 = day2.plus(one);
            }
        }
        SufficientStatistics merged = day1.plus(day2);
        SufficientStatistics other = Fixtures.arm(500, 4, 9);

        ExperimentAnalyzer analyzer = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS);
        TreatmentResult incremental = analyzer.compare(SPEND, new Arm("c", other), new Arm("t", merged));
        TreatmentResult full = analyzer.compare(SPEND, new Arm("c", other), new Arm("t", allAtOnce));

        assertThat(incremental.relative().estimate()).isCloseTo(full.relative().estimate(), within(1e-12));
        assertThat(incremental.relative().pValue()).isCloseTo(full.relative().pValue(), within(1e-12));
        assertThat(incremental.verdict()).isEqualTo(full.verdict());
    }

    @Test
    void conversions_setSumOfSquaresToConversions() {
        assertThat(SufficientStatistics.conversions(100, 30)).isEqualTo(SufficientStatistics.of(100, 30, 30));
        assertThatThrownBy(() -> SufficientStatistics.conversions(10, 11)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_rejectsNegativeCounts() {
        assertThatThrownBy(() -> SufficientStatistics.of(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricResult_treatmentsAreImmutable() {
        MetricResult result = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS)
                .analyze(SPEND, new Arm("c", Fixtures.arm(200, 1, 1)), List.of(new Arm("t", Fixtures.arm(200, 1, 1))));
        assertThatThrownBy(() -> result.treatments().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
