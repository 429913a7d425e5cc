package dev.dimmer.server.targeting;

import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagView;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flag list as a person scans it: each flag's definition, its state in every environment (on, off, killed) and
 * its last change and who made it. One call instead of one per flag and environment; the filters are the flag
 * search's.
 */
@RestController
class FlagSummaryController {

    private final FlagService flags;
    private final Lookup lookup;
    private final JdbcTemplate jdbc;

    FlagSummaryController(FlagService flags, Lookup lookup, JdbcTemplate jdbc) {
        this.flags = flags;
        this.lookup = lookup;
        this.jdbc = jdbc;
    }

    /** A flag's state in one environment. */
    record EnvironmentState(String environment, boolean enabled, boolean killed, long version, Instant updatedAt) {}

    /** The latest audited change of the flag, in any environment (null environment: the definition). */
    record LastChange(Instant at, String actor, String action, String environment) {}

    record FlagSummary(FlagView flag, List<EnvironmentState> environments, LastChange lastChange) {}

    @GetMapping("/api/v1/projects/{project}/flag-summaries")
    @Transactional(readOnly = true)
    List<FlagSummary> summaries(
            @PathVariable String project,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String kind,
            @RequestParam(defaultValue = "active") String status) {
        List<FlagView> found = flags.search(project, q, tag, owner, kind, status);
        Project p = lookup.project(project);
        Map<String, List<EnvironmentState>> states = new HashMap<>();
        jdbc.query(
                """
                SELECT f.key AS flag, e.key AS environment, c.enabled, c.killed, c.version, c.updated_at
                FROM flag_configs c
                JOIN flags f ON f.id = c.flag_id
                JOIN environments e ON e.id = c.environment_id
                WHERE f.project_id = ? AND NOT e.archived
                ORDER BY e.id
                """,
                rs -> {
                    states.computeIfAbsent(rs.getString("flag"), k -> new ArrayList<>())
                            .add(new EnvironmentState(
                                    rs.getString("environment"),
                                    rs.getBoolean("enabled"),
                                    rs.getBoolean("killed"),
                                    rs.getLong("version"),
                                    rs.getTimestamp("updated_at").toInstant()));
                },
                p.getId());
        Map<String, LastChange> lastChanges = new HashMap<>();
        // One index probe per flag (audit_entries_flag_at, newest first) rather than a scan of the project's history.
        jdbc.query(
                """
                SELECT f.key AS flag, a.at, a.actor, a.action, a.environment
                FROM flags f
                JOIN LATERAL (
                    SELECT at, actor, action, environment FROM audit_entries
                    WHERE flag = f.key AND project = ?
                    ORDER BY at DESC, id DESC LIMIT 1
                ) a ON true
                WHERE f.project_id = ?
                """,
                rs -> {
                    lastChanges.put(
                            rs.getString("flag"),
                            new LastChange(
                                    rs.getTimestamp("at").toInstant(),
                                    rs.getString("actor"),
                                    rs.getString("action"),
                                    rs.getString("environment")));
                },
                project,
                p.getId());
        return found.stream()
                .map(flag ->
                        new FlagSummary(flag, states.getOrDefault(flag.key(), List.of()), lastChanges.get(flag.key())))
                .toList();
    }
}
