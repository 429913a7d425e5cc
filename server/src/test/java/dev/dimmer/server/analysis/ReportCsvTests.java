package dev.dimmer.server.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.analysis.ExperimentReport.ArmView;
import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.analysis.ExperimentReport.Srm;
import dev.dimmer.server.analysis.ExperimentReport.TreatmentView;
import dev.dimmer.server.analysis.ExperimentReport.Window;
import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.AnalysisOptions;
import dev.dimmer.server.stats.Arm;
import dev.dimmer.server.stats.Direction;
import dev.dimmer.server.stats.ExperimentAnalyzer;
import dev.dimmer.server.stats.MetricDefinition;
import dev.dimmer.server.stats.MetricResult;
import dev.dimmer.server.stats.SufficientStatistics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCsvTests {

    @Test
    void field_quotesCommasQuotesAndLineBreaksOnly() {
        assertThat(ReportCsv.field(null)).isEmpty();
        assertThat(ReportCsv.field("plain")).isEqualTo("plain");
        assertThat(ReportCsv.field(0.25)).isEqualTo("0.25");
        assertThat(ReportCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(ReportCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ReportCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void write_oneRowPerMetricAndTreatment() {
        var analyzer = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS);
        var metric =
                MetricDefinition.success("conv", "Conversion, checkout", Aggregation.CONVERSION, Direction.INCREASE);
        MetricResult result = analyzer.analyze(
                metric,
                new Arm("off", SufficientStatistics.conversions(1000, 100)),
                List.of(
                        new Arm("on", SufficientStatistics.conversions(1000, 200)),
                        new Arm("blue", SufficientStatistics.conversions(1000, 110))));
        List<TreatmentView> views =
                result.treatments().stream().map(TreatmentView::of).toList();
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        ExperimentReport report = new ExperimentReport(
                "p",
                "production",
                "checkout",
                now,
                new Window(now.minusSeconds(3600), now),
                "off",
                null,
                List.of(new ArmView("off", true, 1000, 0.5, 0L), new ArmView("on", false, 1000, 0.5, 0L)),
                0,
                new Srm("OK", 1.0, 0.0, 1.0, 1, false, "defaultServe"),
                List.of(new MetricReport(
                                "conv",
                                metric.name(),
                                "checkout",
                                "CONVERSION",
                                "INCREASE",
                                false,
                                false,
                                now,
                                1,
                                null,
                                false,
                                "",
                                List.of())
                        .withTreatments(views)),
                null,
                0L,
                true,
                null,
                null,
                List.of());

        String[] lines = ReportCsv.write(report).split("\r\n");

        assertThat(lines).hasSize(3);
        assertThat(lines[0].split(",")).hasSize(ReportCsv.COLUMNS.size());
        assertThat(lines[1])
                .contains(",conv,\"Conversion, checkout\",CONVERSION,false,false,off,on,1000,1000,0.1,0.2,");
        assertThat(lines[1]).contains(",IMPROVED,,OK,");
        assertThat(lines[2]).contains(",off,blue,");
    }
}
