package dev.dimmer.e2e.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The soak's own arithmetic, checked without a server (runs in the normal build: milliseconds). */
class SoakMeasuresTests {

    @Test
    void aClientThatGetsTwoChangesInOneSnapshotSawBothThen() {
        ChangeLatencies latencies = new ChangeLatencies(2, 10);
        latencies.base(100);
        latencies.sending(0, 1_000);
        latencies.sending(1, 2_000);
        latencies.received(0, 100, 101, 1_500); // client 0: one change at a time
        latencies.received(0, 101, 102, 2_400);
        latencies.received(1, 99, 102, 3_000); // client 1: both at once, from before the base

        ChangeLatencies.Window window = latencies.window(0, 10_000);

        assertThat(window.changes()).isEqualTo(2);
        assertThat(window.seen()).isEqualTo(4);
        assertThat(window.unseen()).isZero();
        assertThat(window.p50()).isEqualTo(500); // 500, 400, 2000, 1000: nearest rank 2 of 4
        assertThat(window.max()).isEqualTo(2_000);
        assertThat(window.allClientsMax()).isEqualTo(2_000);
        assertThat(latencies.latestSeen(1)).isEqualTo(102);
    }

    @Test
    void aChangeNoClientSawIsCountedAndWindowsSelectBySendTime() {
        ChangeLatencies latencies = new ChangeLatencies(1, 10);
        latencies.base(0);
        latencies.sending(0, 1_000);
        latencies.sending(1, 5_000);
        latencies.received(0, 0, 1, 1_200);

        assertThat(latencies.window(0, 2_000).unseen()).isZero();
        assertThat(latencies.window(0, 2_000).p99()).isEqualTo(200);
        assertThat(latencies.window(2_000, 10_000).unseen()).isEqualTo(1);
        assertThat(latencies.window(6_000, 10_000).changes()).isZero();
    }

    @Test
    void growthComparesTheLastThirdWithTheFirstTwo() {
        double[] flat = {100, 101, 150, 100, 99, 100, 100, 101, 100}; // one spike in the first third
        double[] filledEarly = {200, 210, 230, 240, 242, 241, 242, 243, 242}; // a pool that grew, then stayed
        double[] leak = {100, 102, 104, 106, 108, 110, 112, 114, 116};

        assertThat(GrowthCheck.of("flat", flat, 5, 0.05).bounded()).isTrue();
        assertThat(GrowthCheck.of("filled early", filledEarly, 5, 0.05).bounded())
                .isTrue();
        GrowthCheck leaking = GrowthCheck.of("leak", leak, 5, 0.05);
        assertThat(leaking.bounded()).isFalse();
        assertThat(leaking.firstThird()).isEqualTo(102);
        assertThat(leaking.middleThird()).isEqualTo(108);
        assertThat(leaking.lastThird()).isEqualTo(114);
    }

    @Test
    void growthIgnoresMissingSamples() {
        double[] afterGc = {80, Double.NaN, Double.NaN, 82, Double.NaN, Double.NaN, 79};

        assertThat(GrowthCheck.of("heap", afterGc, 16, 0.2).bounded()).isTrue();
    }

    @Test
    void prometheusSumsTheSeriesWhoseLabelsMatch() {
        PrometheusText text = PrometheusText.parse("""
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.0E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 1.1E8
                jvm_threads_live_threads 34.0
                """);

        assertThat(text.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(7.0E7);
        assertThat(text.sum("jvm_threads_live_threads")).isEqualTo(34.0);
        assertThat(text.sum("hikaricp_connections_active")).isNaN();
    }

    @Test
    void durationsReadLikeACommandLine() {
        assertThat(SoakSettings.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(SoakSettings.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SoakSettings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SoakSettings.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theTimeAxisEndsAtTheRoundValueARunWasSetFor() {
        assertThat(SvgChart.niceCeiling(10.008)).isEqualTo(10.0);
        assertThat(SvgChart.niceCeiling(10.5)).isEqualTo(15.0);
        assertThat(SvgChart.niceCeiling(3.2)).isEqualTo(4.0);
    }

    @Test
    void theChartStartsItsAxesAtZeroAndLeavesGapsForMissingValues() {
        String svg = SvgChart.render(
                "t",
                "s",
                java.util.List.of(new SvgChart.Panel(
                        "p",
                        java.util.List.of(new SvgChart.Line(
                                "x", "#000", new double[] {0, 1, 2, 3}, new double[] {5, Double.NaN, 7, 8}, false)))));

        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).hasSize(3); // the gap splits the line in two
        assertThat(svg).contains(">0</text>");
    }
}
