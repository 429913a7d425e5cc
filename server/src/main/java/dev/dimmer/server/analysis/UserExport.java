package dev.dimmer.server.analysis;

import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.stats.Aggregation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Streams the per-user rows the latest analysis of a flag used (docs/statistics.md "Recomputing a report"), so a data
 * team can recompute the report outside Dimmer: one row per user exposed to exactly one treatment, with its arm,
 * whether the experiment split randomised it, and per metric the value y and the pre-period value x the analysis
 * summed. Read with a server-side cursor: a million users never sit in memory.
 */
@Component
class UserExport {

    /** Rows fetched per round trip of the cursor. */
    static final int FETCH_SIZE = 2000;

    private final DataSource dataSource;

    UserExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The header: key, arm, randomised, then per metric {@code <key>} and {@code <key>_pre}. */
    static String header(List<MetricReport> metrics) {
        StringBuilder h = new StringBuilder("key,arm,randomised");
        for (MetricReport m : metrics) {
            h.append(',').append(ReportCsv.field(m.key())).append(',').append(ReportCsv.field(m.key() + "_pre"));
        }
        return h.append("\r\n").toString();
    }

    /**
     * Writes the rows of {@code report}'s flag, whose metrics are in the order the analysis state stores them.
     *
     * @param splitLabel the experiment split's label: rows whose first exposure carried it are {@code randomised}
     */
    void write(long environmentId, long flagId, ExperimentReport report, String splitLabel, OutputStream out)
            throws IOException, SQLException {
        List<MetricReport> metrics = report.metrics();
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(header(metrics));
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT key, treatment, coalesce(label = ?::text, false), post, pre FROM analysis_users"
                            + " WHERE environment_id = ? AND flag_id = ? AND treatments = 1 ORDER BY key")) {
                s.setFetchSize(FETCH_SIZE);
                s.setString(1, splitLabel);
                s.setLong(2, environmentId);
                s.setLong(3, flagId);
                try (ResultSet r = s.executeQuery()) {
                    StringBuilder row = new StringBuilder(128);
                    while (r.next()) {
                        row.setLength(0);
                        row.append(ReportCsv.field(r.getString(1)))
                                .append(',')
                                .append(ReportCsv.field(r.getString(2)))
                                .append(',')
                                .append(r.getBoolean(3));
                        Double[] post = doubles(r.getArray(4));
                        Double[] pre = doubles(r.getArray(5));
                        for (int i = 0; i < metrics.size(); i++) {
                            Aggregation aggregation =
                                    Aggregation.valueOf(metrics.get(i).aggregation());
                            double y = i < post.length ? post[i] : 0;
                            double x = i < pre.length ? pre[i] : 0;
                            if (aggregation == Aggregation.CONVERSION) {
                                y = y > 0 ? 1 : 0;
                                x = x > 0 ? 1 : 0;
                            }
                            row.append(',').append(number(y)).append(',').append(number(x));
                        }
                        w.write(row.append("\r\n").toString());
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
        w.flush();
    }

    private static Double[] doubles(Array array) throws SQLException {
        return array == null ? new Double[0] : (Double[]) array.getArray();
    }

    /** Shortest exact text of a double (Java's repr round-trips), so a recomputation sees the analysis's values. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
