package dev.dimmer.server.alerts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads the flag configurations alerts judge: every active flag in every active environment. */
@Component
class Subjects {

    private static final String SELECT = "SELECT p.id, p.key, e.id, e.key, f.id, f.key, f.owner_team, c.enabled,"
            + " c.killed, c.traffic_allocation, c.updated_at, COALESCE(gp.policy, 'NOTIFY')"
            + " FROM flag_configs c JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id"
            + " JOIN projects p ON p.id = f.project_id LEFT JOIN flag_guardrail_policies gp ON gp.flag_id = f.id"
            + " WHERE NOT f.archived AND NOT e.archived AND NOT p.archived";

    private final JdbcTemplate jdbc;

    Subjects(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Subject> all() {
        return jdbc.query(
                SELECT + " ORDER BY c.environment_id, c.flag_id",
                (rs, i) -> new Subject(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getBoolean(8),
                        rs.getBoolean(9),
                        rs.getInt(10),
                        rs.getTimestamp(11).toInstant(),
                        GuardrailPolicy.valueOf(rs.getString(12))));
    }

    /** The kill thresholds of every project's guardrail metrics, by project id and metric key. */
    Map<Long, Map<String, Double>> killThresholds() {
        Map<Long, Map<String, Double>> byProject = new HashMap<>();
        jdbc.query(
                "SELECT project_id, key, kill_threshold FROM metrics WHERE guardrail AND kill_threshold IS NOT NULL",
                rs -> {
                    byProject
                            .computeIfAbsent(rs.getLong(1), p -> new HashMap<>())
                            .put(rs.getString(2), rs.getDouble(3));
                });
        return byProject;
    }
}
