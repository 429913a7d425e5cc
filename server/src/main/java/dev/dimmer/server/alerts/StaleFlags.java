package dev.dimmer.server.alerts;

import dev.dimmer.server.notifications.Notice;
import dev.dimmer.server.notifications.TeamNotifications;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds flags to remove from code: those that have served one treatment to everyone, in every environment, for
 * {@code dimmer.alerts.stale-single-treatment-after}, or have had no impression anywhere for
 * {@code dimmer.alerts.stale-unused-after}. The owner team is told once per stale spell ({@code stale_flag_notices}:
 * the row goes when the flag is no longer stale, so a flag that comes back to life and dies again is told again).
 */
@Component
class StaleFlags {

    private static final Logger log = LoggerFactory.getLogger(StaleFlags.class);

    private static final String SELECT = "SELECT p.id, p.key, f.id, f.key, f.owner_team, f.created_at, e.id, e.key,"
            + " c.enabled, c.killed, c.off_treatment, c.rules::text, c.default_serve::text, c.traffic_allocation,"
            + " c.prerequisites::text, c.updated_at, n.notified_at"
            + " FROM flag_configs c JOIN flags f ON f.id = c.flag_id JOIN environments e ON e.id = c.environment_id"
            + " JOIN projects p ON p.id = f.project_id LEFT JOIN stale_flag_notices n ON n.flag_id = f.id"
            + " WHERE NOT f.archived AND NOT e.archived AND NOT p.archived";

    /** One flag's configurations gathered across environments. */
    private static final class Gathered {
        long projectId;
        String project;
        long flagId;
        String flag;
        String ownerTeam;
        Instant createdAt;
        Instant notifiedAt;
        final Map<String, String> single = new TreeMap<>();
        boolean everywhereSingle = true;
        Instant singleSince = Instant.EPOCH;
        Instant lastImpression;
    }

    /** A stale flag with the ids needed to tell its team. */
    record Found(long projectId, long flagId, StaleFlag flag) {}

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final AlertSettings settings;
    private final TeamNotifications notifications;
    private final TransactionTemplate transactions;

    StaleFlags(
            JdbcTemplate jdbc,
            JsonMapper json,
            AlertSettings settings,
            TeamNotifications notifications,
            TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.notifications = notifications;
        this.transactions = transactions;
    }

    /** Stale flags of the project (null: every project), judged now. */
    List<Found> find(Long projectId, Instant now) {
        Instant trackedSince =
                jdbc.queryForList("SELECT started_at FROM flag_traffic_scans WHERE id = 1", Timestamp.class).stream()
                        .findFirst()
                        .map(t -> t.toInstant().minus(settings.noTrafficAfter()))
                        .orElse(now);
        Map<String, Instant> lastImpressions = new LinkedHashMap<>();
        jdbc.query("SELECT environment_id, flag, last_impression_at FROM flag_traffic", rs -> {
            lastImpressions.put(
                    rs.getLong(1) + "/" + rs.getString(2), rs.getTimestamp(3).toInstant());
        });
        Map<Long, Gathered> flags = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>();
        String sql = SELECT;
        if (projectId != null) {
            sql += " AND p.id = ?";
            args.add(projectId);
        }
        jdbc.query(
                sql + " ORDER BY p.key, f.key, e.key",
                rs -> {
                    Gathered g = flags.computeIfAbsent(rs.getLong(3), id -> new Gathered());
                    g.projectId = rs.getLong(1);
                    g.project = rs.getString(2);
                    g.flagId = rs.getLong(3);
                    g.flag = rs.getString(4);
                    g.ownerTeam = rs.getString(5);
                    g.createdAt = rs.getTimestamp(6).toInstant();
                    Timestamp notified = rs.getTimestamp(17);
                    g.notifiedAt = notified == null ? null : notified.toInstant();
                    Optional<String> single = singleTreatment(
                            rs.getBoolean(9),
                            rs.getBoolean(10),
                            rs.getString(11),
                            json.readTree(rs.getString(12)),
                            json.readTree(rs.getString(13)),
                            rs.getInt(14),
                            json.readTree(rs.getString(15)));
                    Instant configuredAt = rs.getTimestamp(16).toInstant();
                    if (single.isPresent()) {
                        g.single.put(rs.getString(8), single.get());
                        if (configuredAt.isAfter(g.singleSince)) {
                            g.singleSince = configuredAt;
                        }
                    } else {
                        g.everywhereSingle = false;
                    }
                    Instant last = lastImpressions.get(rs.getLong(7) + "/" + g.flag);
                    if (last != null && (g.lastImpression == null || last.isAfter(g.lastImpression))) {
                        g.lastImpression = last;
                    }
                },
                args.toArray());
        List<Found> stale = new ArrayList<>();
        for (Gathered g : flags.values()) {
            List<String> reasons = new ArrayList<>();
            if (g.everywhereSingle && !g.singleSince.isAfter(now.minus(settings.staleSingleTreatmentAfter()))) {
                reasons.add("SINGLE_TREATMENT");
            }
            Instant silentSince = g.lastImpression != null
                    ? g.lastImpression
                    : (g.createdAt.isAfter(trackedSince) ? g.createdAt : trackedSince);
            if (!silentSince.isAfter(now.minus(settings.staleUnusedAfter()))) {
                reasons.add("NO_IMPRESSIONS");
            }
            if (!reasons.isEmpty()) {
                stale.add(new Found(
                        g.projectId,
                        g.flagId,
                        new StaleFlag(
                                g.project,
                                g.flag,
                                g.ownerTeam,
                                reasons,
                                java.util.Collections.unmodifiableMap(g.single),
                                g.everywhereSingle ? g.singleSince : null,
                                g.lastImpression,
                                silentSince,
                                g.notifiedAt)));
            }
        }
        return stale;
    }

    /** Tells the owner team of each newly stale flag, once; forgets flags that are no longer stale. */
    void tellOwners(Instant now, FlagTraffic.Scan scan) {
        List<Found> stale = find(null, now);
        Set<Long> staleIds = new HashSet<>();
        for (Found found : stale) {
            staleIds.add(found.flagId());
            if (found.flag().notifiedAt() != null) {
                continue;
            }
            try {
                transactions.executeWithoutResult(tx -> tell(found, now));
            } catch (RuntimeException e) {
                log.error(
                        "stale flag '{}': telling its team failed; next cycle tries again",
                        found.flag().flag(),
                        e);
            }
        }
        List<Long> notified = jdbc.queryForList("SELECT flag_id FROM stale_flag_notices", Long.class);
        for (Long id : notified) {
            if (!staleIds.contains(id)) {
                jdbc.update("DELETE FROM stale_flag_notices WHERE flag_id = ?", id);
            }
        }
    }

    private void tell(Found found, Instant now) {
        StaleFlag f = found.flag();
        // The insert wins once across replicas; a second teller finds the row and says nothing.
        int inserted = jdbc.update(
                "INSERT INTO stale_flag_notices (flag_id, reasons, notified_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (flag_id) DO NOTHING",
                found.flagId(),
                String.join(",", f.reasons()),
                Timestamp.from(now));
        if (inserted == 0) {
            return;
        }
        List<String> why = new ArrayList<>();
        if (f.reasons().contains("SINGLE_TREATMENT")) {
            why.add("it has served one treatment to everyone " + f.servedTreatments() + " since "
                    + f.singleTreatmentSince());
        }
        if (f.reasons().contains("NO_IMPRESSIONS")) {
            why.add("no impression has arrived in any environment since " + f.silentSince());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reasons", f.reasons());
        details.put("servedTreatments", f.servedTreatments());
        details.put("singleTreatmentSince", f.singleTreatmentSince());
        details.put("lastImpressionAt", f.lastImpressionAt());
        notifications.notify(
                found.projectId(),
                f.ownerTeam(),
                new Notice(
                        "flag.stale",
                        f.project(),
                        null,
                        f.flag(),
                        "Stale flag " + f.flag() + " in " + f.project(),
                        "Flag " + f.flag() + " looks dead: " + String.join("; ", why)
                                + ". Remove it from the code, then archive it (DELETE /api/v1/projects/"
                                + f.project() + "/flags/" + f.flag() + ").",
                        "/api/v1/projects/" + f.project() + "/stale-flags",
                        details));
        log.info("stale flag '{}' of project {}: owner team told ({})", f.flag(), f.project(), f.reasons());
    }

    /**
     * The one treatment every user gets from this configuration, if there is one: the off treatment when disabled or
     * killed, else the only treatment any rule, the default serve, the traffic allocation's exclusion or a failing
     * prerequisite can hand out.
     */
    static Optional<String> singleTreatment(
            boolean enabled,
            boolean killed,
            String off,
            JsonNode rules,
            JsonNode defaultServe,
            int trafficAllocation,
            JsonNode prerequisites) {
        if (!enabled || killed) {
            return Optional.of(off);
        }
        Set<String> served = new HashSet<>();
        if (trafficAllocation < 10_000) {
            served.add(off);
        }
        if (prerequisites.isArray() && !prerequisites.isEmpty()) {
            served.add(off);
        }
        for (JsonNode rule : rules) {
            addServed(rule.path("serve"), served);
        }
        if (trafficAllocation > 0) {
            addServed(defaultServe, served);
        }
        return served.size() == 1 ? Optional.of(served.iterator().next()) : Optional.empty();
    }

    private static void addServed(JsonNode serve, Set<String> served) {
        JsonNode split = serve.path("split");
        if (split.isArray()) {
            for (JsonNode arm : split) {
                if (arm.path("weight").asInt() > 0) {
                    served.add(arm.path("treatment").asString());
                }
            }
        } else if (serve.path("treatment").isString()) {
            served.add(serve.path("treatment").asString());
        }
    }
}
