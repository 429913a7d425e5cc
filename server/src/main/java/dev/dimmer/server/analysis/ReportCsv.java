package dev.dimmer.server.analysis;

import dev.dimmer.server.analysis.ExperimentReport.Bounds;
import dev.dimmer.server.analysis.ExperimentReport.EffectView;
import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.analysis.ExperimentReport.TreatmentView;
import java.util.List;

/** The report as CSV (RFC 4180): a header row, then one row per metric × treatment. */
final class ReportCsv {

    static final List<String> COLUMNS = List.of(
            "computed_at",
            "environment",
            "flag",
            "metric",
            "metric_name",
            "aggregation",
            "guardrail",
            "exploratory",
            "control",
            "treatment",
            "control_users",
            "treatment_users",
            "control_mean",
            "treatment_mean",
            "absolute_lift",
            "absolute_ci_lower",
            "absolute_ci_upper",
            "absolute_p",
            "relative_lift",
            "relative_ci_lower",
            "relative_ci_upper",
            "relative_p",
            "relative_seq_ci_lower",
            "relative_seq_ci_upper",
            "relative_seq_p",
            "alpha",
            "verdict",
            "guardrail_status",
            "srm_status",
            "summary");

    private ReportCsv() {}

    static String write(ExperimentReport report) {
        StringBuilder out = new StringBuilder();
        row(out, COLUMNS.toArray());
        for (MetricReport m : report.metrics()) {
            for (TreatmentView t : m.treatments()) {
                EffectView a = t.absolute();
                EffectView r = t.relative();
                row(
                        out,
                        report.computedAt(),
                        report.environment(),
                        report.flag(),
                        m.key(),
                        m.name(),
                        m.aggregation(),
                        m.guardrail(),
                        m.exploratory(),
                        report.control(),
                        t.treatment(),
                        t.controlUsers(),
                        t.treatmentUsers(),
                        t.controlMean(),
                        t.treatmentMean(),
                        a.estimate(),
                        lower(a.confidenceInterval()),
                        upper(a.confidenceInterval()),
                        a.pValue(),
                        r.estimate(),
                        lower(r.confidenceInterval()),
                        upper(r.confidenceInterval()),
                        r.pValue(),
                        lower(r.sequentialInterval()),
                        upper(r.sequentialInterval()),
                        r.sequentialPValue(),
                        t.alpha(),
                        t.verdict(),
                        t.guardrailStatus(),
                        report.srm().status(),
                        t.summary());
            }
        }
        return out.toString();
    }

    private static Double lower(Bounds b) {
        return b == null ? null : b.lower();
    }

    private static Double upper(Bounds b) {
        return b == null ? null : b.upper();
    }

    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(values[i]));
        }
        out.append("\r\n");
    }

    /** Empty for null; quoted (with doubled quotes) when the value has a comma, quote, CR or LF. */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
