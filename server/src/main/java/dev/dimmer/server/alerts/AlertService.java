package dev.dimmer.server.alerts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.notifications.Notice;
import dev.dimmer.server.notifications.TeamNotifications;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts for people: listed within the projects the reader may read, acknowledged or resolved by an editor of the
 * alert's project with a comment, audited and told to the owner team in the same transaction.
 */
@Service
class AlertService {

    static final int MAX_LIMIT = 500;

    private static final int MAX_COMMENT = 2000;

    /** Filters of the list; any may be null. */
    record Filter(String project, String environment, String flag, String status, String kind, Long beforeId) {}

    /** Project, environment and flag keys and the owner team of an alert. */
    private record Names(String project, String environment, String flag, String ownerTeam) {}

    private final AlertRepository alerts;
    private final Lookup lookup;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final AuditLog audit;
    private final TeamNotifications notifications;
    private final Clock clock;

    AlertService(
            AlertRepository alerts,
            Lookup lookup,
            JdbcTemplate jdbc,
            JsonMapper json,
            AuditLog audit,
            TeamNotifications notifications,
            Clock clock) {
        this.alerts = alerts;
        this.lookup = lookup;
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.notifications = notifications;
        this.clock = clock;
    }

    /** Newest first; page back with {@code beforeId}. */
    @Transactional(readOnly = true)
    List<AlertView> list(Actor reader, Filter filter, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("/limit", "must be between 1 and " + MAX_LIMIT);
        }
        AlertStatus status = parse(AlertStatus.class, "/status", filter.status());
        AlertKind kind = parse(AlertKind.class, "/kind", filter.kind());
        if (filter.project() == null && (filter.environment() != null || filter.flag() != null)) {
            throw ApiException.invalid(
                    filter.environment() != null ? "/environment" : "/flag", "needs the project filter too");
        }
        Long projectId = null;
        Long environmentId = null;
        Long flagId = null;
        if (filter.project() != null) {
            reader.requireReaderOf(filter.project());
            Project project = lookup.project(filter.project());
            projectId = project.getId();
            if (filter.environment() != null) {
                Environment environment = lookup.environment(project, filter.environment());
                environmentId = environment.getId();
            }
            if (filter.flag() != null) {
                flagId = jdbc
                        .queryForList(
                                "SELECT id FROM flags WHERE project_id = ? AND key = ?",
                                Long.class,
                                projectId,
                                filter.flag())
                        .stream()
                        .findFirst()
                        .orElseThrow(() -> ApiException.notFound("flag '" + filter.flag() + "'"));
            }
        }
        List<Long> readable = reader.readsAllProjects() ? null : readableProjectIds(reader);
        Long p = projectId;
        Long e = environmentId;
        Long f = flagId;
        Specification<Alert> spec = (root, query, cb) -> {
            List<Predicate> predicates = new ArrayList<>();
            if (p != null) predicates.add(cb.equal(root.get("projectId"), p));
            if (readable != null) {
                predicates.add(
                        readable.isEmpty()
                                ? cb.disjunction()
                                : root.get("projectId").in(readable));
            }
            if (e != null) predicates.add(cb.equal(root.get("environmentId"), e));
            if (f != null) predicates.add(cb.equal(root.get("flagId"), f));
            if (status != null) predicates.add(cb.equal(root.get("status"), status));
            if (kind != null) predicates.add(cb.equal(root.get("kind"), kind));
            if (filter.beforeId() != null) predicates.add(cb.lessThan(root.get("id"), filter.beforeId()));
            return cb.and(predicates.toArray(Predicate[]::new));
        };
        List<Alert> found = alerts.findAll(spec, PageRequest.of(0, limit, Sort.by(Sort.Direction.DESC, "id")))
                .getContent();
        Map<String, Names> names = new HashMap<>();
        return found.stream()
                .map(a -> view(a, names.computeIfAbsent(a.getFlagId() + "/" + a.getEnvironmentId(), k -> names(a))))
                .toList();
    }

    @Transactional(readOnly = true)
    AlertView get(Actor reader, long id) {
        Alert alert = readable(reader, id);
        return view(alert, names(alert));
    }

    @Transactional
    AlertView acknowledge(Actor actor, long id, String comment) {
        Alert alert = readable(actor, id, true);
        Names names = names(alert);
        actor.requireEditorOf(names.project());
        String why = requireComment(comment);
        if (alert.getStatus() != AlertStatus.OPEN) {
            throw ApiException.conflict(
                    "alert " + id + " is " + alert.getStatus() + "; only an OPEN alert can be" + " acknowledged");
        }
        AlertView before = view(alert, names);
        alert.acknowledge(actor.name(), why, Instant.now(clock));
        return change(actor, "acknowledge", alert, names, before, why, "alert.updated", "Acknowledged by ");
    }

    @Transactional
    AlertView resolve(Actor actor, long id, String comment) {
        Alert alert = readable(actor, id, true);
        Names names = names(alert);
        actor.requireEditorOf(names.project());
        String why = requireComment(comment);
        if (alert.getStatus() == AlertStatus.RESOLVED) {
            throw ApiException.conflict("alert " + id + " is already RESOLVED");
        }
        AlertView before = view(alert, names);
        alert.resolve(actor.name(), why, Instant.now(clock));
        return change(actor, "resolve", alert, names, before, why, "alert.resolved", "Resolved by ");
    }

    private AlertView change(
            Actor actor,
            String action,
            Alert alert,
            Names names,
            AlertView before,
            String comment,
            String noticeKind,
            String titlePrefix) {
        alerts.saveAndFlush(alert);
        AlertView after = view(alert, names);
        audit.record(
                actor,
                action,
                new AuditTarget(
                        "alert", String.valueOf(alert.getId()), names.project(), names.environment(), names.flag()),
                before,
                after,
                comment);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertId", alert.getId());
        details.put("alertKind", alert.getKind().name());
        details.put("metric", after.metric());
        details.put("status", after.status());
        details.put("by", actor.name());
        details.put("comment", comment);
        notifications.notify(
                alert.getProjectId(),
                names.ownerTeam(),
                new Notice(
                        noticeKind,
                        names.project(),
                        names.environment(),
                        names.flag(),
                        titlePrefix + actor.name() + ": "
                                + alert.getKind().name().toLowerCase(Locale.ROOT)
                                + (alert.getMetric().isEmpty() ? "" : " " + alert.getMetric()) + " alert on flag "
                                + names.flag() + " in " + names.environment(),
                        comment,
                        "/api/v1/alerts/" + alert.getId(),
                        details));
        return after;
    }

    /** The alert, if the reader may read its project; 404 otherwise, so ids of other projects are not revealed. */
    private Alert readable(Actor reader, long id) {
        return readable(reader, id, false);
    }

    private Alert readable(Actor reader, long id, boolean forUpdate) {
        Alert alert = (forUpdate ? alerts.findForUpdate(id) : alerts.findById(id))
                .orElseThrow(() -> ApiException.notFound("alert " + id));
        if (!reader.canRead(names(alert).project())) {
            throw ApiException.notFound("alert " + id);
        }
        return alert;
    }

    private List<Long> readableProjectIds(Actor reader) {
        if (reader.projects().isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("SELECT id FROM projects WHERE key = ANY (?)", Long.class, (Object)
                reader.projects().toArray(String[]::new));
    }

    private Names names(Alert a) {
        return jdbc.queryForObject(
                "SELECT p.key, e.key, f.key, f.owner_team FROM flags f JOIN projects p ON p.id = f.project_id,"
                        + " environments e WHERE f.id = ? AND e.id = ?",
                (rs, i) -> new Names(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                a.getFlagId(),
                a.getEnvironmentId());
    }

    private AlertView view(Alert a, Names n) {
        return AlertViews.of(n.project(), n.environment(), n.flag(), n.ownerTeam(), a, json);
    }

    private static String requireComment(String comment) {
        if (comment == null || comment.isBlank()) {
            throw ApiException.invalid("/comment", "is required: say what you did or why");
        }
        if (comment.length() > MAX_COMMENT) {
            throw ApiException.invalid("/comment", "must be at most " + MAX_COMMENT + " characters");
        }
        return comment.strip();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String pointer, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            throw ApiException.invalid(pointer, "must be one of " + allowed);
        }
    }
}
