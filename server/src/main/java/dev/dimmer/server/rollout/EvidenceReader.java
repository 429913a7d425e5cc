package dev.dimmer.server.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the analysis job stored for a flag (its newest run: arms, SRM, guardrail statuses), never recomputing
 * anything: plans act on the same numbers the report shows.
 */
@Component
class EvidenceReader {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    EvidenceReader(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The newest stored report of the flag in the environment, read for {@code treatment}. */
    Optional<Evidence> latest(long environmentId, long flagId, String treatment) {
        record Run(long id, Instant computedAt, String report) {}
        Optional<Run> run = jdbc
                .query(
                        "SELECT id, computed_at, report::text FROM analysis_runs WHERE environment_id = ? AND flag_id = ?"
                                + " ORDER BY computed_at DESC, id DESC LIMIT 1",
                        (rs, i) -> new Run(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                        environmentId,
                        flagId)
                .stream()
                .findFirst();
        if (run.isEmpty()) {
            return Optional.empty();
        }
        JsonNode header = json.readTree(run.get().report());
        Map<String, Long> users = new LinkedHashMap<>();
        for (JsonNode arm : header.path("arms")) {
            users.put(arm.path("treatment").asString(), arm.path("users").asLong());
        }
        Set<String> guardrailMetrics = new HashSet<>();
        for (JsonNode metric : header.path("metrics")) {
            if (metric.path("guardrail").asBoolean()) {
                guardrailMetrics.add(metric.path("key").asString());
            }
        }
        List<Evidence.Guardrail> guardrails = new ArrayList<>();
        jdbc.query(
                "SELECT metric, result::text FROM analysis_results WHERE run_id = ? AND treatment = ? ORDER BY ordinal",
                rs -> {
                    if (guardrailMetrics.contains(rs.getString(1))) {
                        JsonNode r = json.readTree(rs.getString(2));
                        JsonNode interval = r.path("absolute").path("sequentialInterval");
                        guardrails.add(new Evidence.Guardrail(
                                rs.getString(1),
                                text(r.path("guardrailStatus")),
                                number(r.path("controlMean")),
                                number(r.path("treatmentMean")),
                                number(r.path("relativeLift")),
                                number(r.path("absolute").path("estimate")),
                                number(interval.path("lower")),
                                number(interval.path("upper")),
                                r.path("controlUsers").asLong(),
                                r.path("treatmentUsers").asLong(),
                                text(r.path("summary"))));
                    }
                },
                run.get().id(),
                treatment);
        JsonNode srm = header.path("srm");
        return Optional.of(new Evidence(
                run.get().id(),
                run.get().computedAt(),
                text(srm.path("status")),
                number(srm.path("pValue")),
                users,
                guardrails));
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
