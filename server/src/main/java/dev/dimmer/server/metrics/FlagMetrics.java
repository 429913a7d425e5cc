package dev.dimmer.server.metrics;

import dev.dimmer.server.flags.Flag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which success metrics a flag is judged by (and since when), and which treatment is its control.
 * Guardrail metrics are not listed here: they apply to every flag without anyone asking.
 */
@Component
public class FlagMetrics {

    /** A success metric of a flag and when it was attached. */
    public record Attached(Metric metric, Instant addedAt) {}

    private final JdbcTemplate jdbc;
    private final MetricRepository metrics;

    FlagMetrics(JdbcTemplate jdbc, MetricRepository metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    public List<Attached> successMetrics(long flagId) {
        return jdbc
                .query(
                        "SELECT metric_id, added_at FROM flag_success_metrics WHERE flag_id = ? ORDER BY added_at, metric_id",
                        (rs, i) ->
                                new Object[] {rs.getLong(1), rs.getTimestamp(2).toInstant()},
                        flagId)
                .stream()
                .map(row -> new Attached(metrics.findById((Long) row[0]).orElseThrow(), (Instant) row[1]))
                .toList();
    }

    /** The flag's chosen control treatment, if it names one (else the environment's off treatment). */
    public Optional<String> controlTreatment(Flag flag) {
        return Optional.ofNullable(
                jdbc.queryForObject("SELECT control_treatment FROM flags WHERE id = ?", String.class, flag.getId()));
    }

    /** Replaces the set; metrics already attached keep their original {@code addedAt}. */
    void replace(long flagId, List<Long> metricIds, String controlTreatment) {
        jdbc.update(
                "DELETE FROM flag_success_metrics WHERE flag_id = ? AND NOT (metric_id = ANY(?::bigint[]))",
                flagId,
                metricIds.toArray(Long[]::new));
        for (Long metricId : metricIds) {
            jdbc.update(
                    "INSERT INTO flag_success_metrics (flag_id, metric_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    flagId,
                    metricId);
        }
        jdbc.update("UPDATE flags SET control_treatment = ? WHERE id = ?", controlTreatment, flagId);
    }
}
