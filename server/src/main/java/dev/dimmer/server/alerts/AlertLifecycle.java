package dev.dimmer.server.alerts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.audit.LastChange;
import dev.dimmer.server.notifications.Notice;
import dev.dimmer.server.notifications.TeamNotifications;
import dev.dimmer.server.security.Actor;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one cycle's {@link Judgement} of a flag in an environment to its alerts, in one transaction with the
 * notices (and, under the KILL policy, the kill) it causes: a finding opens an alert or updates the unresolved one of
 * its kind and metric (never a second: the partial unique index {@code alerts_one_unresolved} backs this across
 * replicas); an unresolved alert whose condition is clear counts the cycle and resolves at {@code clear-cycles}.
 */
@Service
class AlertLifecycle {

    /** Who resolves an alert whose condition cleared (audit actor and {@code resolved_by}). */
    static final String SYSTEM = "system:alerts";

    private static final Logger log = LoggerFactory.getLogger(AlertLifecycle.class);

    private final AlertRepository alerts;
    private final TeamNotifications notifications;
    private final AutoKill autoKill;
    private final AuditLog audit;
    private final AlertSettings settings;
    private final JsonMapper json;
    private final JdbcTemplate jdbc;
    private final LastChange lastChange;

    AlertLifecycle(
            AlertRepository alerts,
            TeamNotifications notifications,
            AutoKill autoKill,
            AuditLog audit,
            AlertSettings settings,
            JsonMapper json,
            JdbcTemplate jdbc,
            LastChange lastChange) {
        this.alerts = alerts;
        this.notifications = notifications;
        this.autoKill = autoKill;
        this.audit = audit;
        this.settings = settings;
        this.json = json;
        this.jdbc = jdbc;
        this.lastChange = lastChange;
    }

    @Transactional
    void apply(Subject subject, Judgement judgement, Instant reportComputedAt, Instant now) {
        Map<String, Alert> unresolved = new HashMap<>();
        for (Alert a : alerts.unresolved(subject.flagId(), subject.environmentId())) {
            unresolved.put(key(a.getKind(), a.getMetric()), a);
        }
        for (Finding finding : judgement.findings()) {
            Alert alert = unresolved.remove(key(finding.kind(), finding.metric()));
            if (alert == null) {
                open(subject, finding, reportComputedAt, now);
            } else {
                update(subject, alert, finding, now);
            }
        }
        for (Alert alert : unresolved.values()) {
            if (judgement.undecided().contains(alert.getKind())) {
                continue;
            }
            if (alert.clearCycle(now) >= settings.clearCycles()) {
                AlertView before = AlertViews.of(subject, alert, json);
                alert.resolve(SYSTEM, null, now);
                alerts.saveAndFlush(alert);
                AlertView after = AlertViews.of(subject, alert, json);
                audit.record(
                        Actor.system(SYSTEM),
                        "resolve",
                        target(subject, alert),
                        before,
                        after,
                        "clear for " + alert.getClearCycles() + " analysis cycles");
                notify(subject, "alert.resolved", alert, "Resolved: " + title(subject, alert), resolvedText(alert));
            } else {
                alerts.save(alert);
            }
        }
    }

    /** Resolves the alerts of archived flags and environments: an archived flag serves nobody. */
    @Transactional
    void resolveArchived(Instant now) {
        for (Alert alert : alerts.unresolvedOfArchived()) {
            Map<String, Object> before =
                    Map.of("id", alert.getId(), "status", alert.getStatus().name());
            alert.resolve(SYSTEM, "the flag or its environment was archived", now);
            alerts.saveAndFlush(alert);
            String[] names = jdbc.queryForObject(
                    "SELECT p.key, e.key, f.key FROM flags f JOIN projects p ON p.id = f.project_id,"
                            + " environments e WHERE f.id = ? AND e.id = ?",
                    (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                    alert.getFlagId(),
                    alert.getEnvironmentId());
            audit.record(
                    Actor.system(SYSTEM),
                    "resolve",
                    new AuditTarget("alert", String.valueOf(alert.getId()), names[0], names[1], names[2]),
                    before,
                    Map.of("id", alert.getId(), "status", alert.getStatus().name()),
                    "the flag or its environment was archived");
        }
    }

    private void open(Subject subject, Finding finding, Instant reportComputedAt, Instant now) {
        // A person resolved this very condition: only numbers newer than their decision may reopen it.
        Optional<Instant> resolved = alerts.lastResolvedByPerson(
                subject.flagId(), subject.environmentId(), finding.kind(), finding.metric());
        if (resolved.isPresent()
                && (finding.kind() == AlertKind.NO_TRAFFIC
                        ? resolved.get().isAfter(now.minus(settings.noTrafficAfter()))
                        : reportComputedAt == null || !reportComputedAt.isAfter(resolved.get()))) {
            return;
        }
        Alert alert = alerts.saveAndFlush(new Alert(subject, finding, usersJson(finding), now));
        log.warn(
                "alert {} opened: {}{} of flag '{}' in {}/{}: {}",
                alert.getId(),
                finding.kind(),
                finding.metric().isEmpty() ? "" : " " + finding.metric(),
                subject.flag(),
                subject.project(),
                subject.environment(),
                finding.summary());
        recordEarlierKill(subject, alert, now);
        notify(
                subject,
                "alert.opened",
                alert,
                title(subject, alert),
                alert.getSummary() + action(subject, finding) + earlierKill(alert));
        killIfPolicySays(subject, alert, finding, now);
    }

    private void update(Subject subject, Alert alert, Finding finding, Instant now) {
        String previousSeverity = alert.getSeverity();
        String previousTreatment = alert.getTreatment();
        alert.record(finding, usersJson(finding), now);
        recordEarlierKill(subject, alert, now);
        alerts.saveAndFlush(alert);
        boolean escalated = !finding.severity().equals(previousSeverity) && finding.severe();
        boolean changed = !finding.severity().equals(previousSeverity)
                || !java.util.Objects.equals(finding.treatment(), previousTreatment);
        // Numbers move every cycle; the team hears again only when what the alert says changes (acknowledged: only
        // when it got worse).
        if (alert.getStatus() == AlertStatus.OPEN ? changed : escalated) {
            notify(
                    subject,
                    "alert.updated",
                    alert,
                    "Updated: " + title(subject, alert),
                    alert.getSummary() + action(subject, finding));
        }
        killIfPolicySays(subject, alert, finding, now);
    }

    /**
     * A flag found killed while its alert has recorded no kill was killed by someone else first: usually its rollout
     * plan ({@code onBreach: KILL}), which reads the same report as soon as it is stored, before this pass runs. The
     * alert says so (who and when, from the kill's audit entry), so the on-call engineer does not kill it again.
     */
    private void recordEarlierKill(Subject subject, Alert alert, Instant now) {
        if (!subject.killed() || alert.getAction() != null) {
            return;
        }
        lastChange
                .newest(AuditTarget.flagConfiguration(subject.project(), subject.environment(), subject.flag()), "kill")
                .ifPresent(kill -> {
                    alert.killed(kill.actor(), kill.at(), now);
                    alerts.saveAndFlush(alert);
                });
    }

    private static String earlierKill(Alert alert) {
        return alert.getAction() == null
                ? ""
                : " The flag was already killed (by " + alert.getActionBy() + " at " + alert.getActionAt()
                        + "): every user gets its off treatment.";
    }

    /** Kills once per alert: a person who restores the flag while the alert is open is not overruled. */
    private void killIfPolicySays(Subject subject, Alert alert, Finding finding, Instant now) {
        if (subject.policy() != GuardrailPolicy.KILL
                || !finding.severe()
                || alert.getAction() != null
                || !subject.served()) {
            return;
        }
        autoKill.kill(subject, finding);
        alert.killed("guardrail:" + finding.metric(), now, now);
        alerts.saveAndFlush(alert);
        notify(
                subject,
                "flag.killed",
                alert,
                "Killed: flag " + subject.flag() + " in " + subject.environment() + " by guardrail " + finding.metric(),
                finding.summary() + " Dimmer killed the flag in " + subject.environment()
                        + " (policy KILL): every user now gets its off treatment. " + AutoKill.restoreHint(subject));
    }

    private void notify(Subject subject, String kind, Alert alert, String title, String text) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertId", alert.getId());
        details.put("alertKind", alert.getKind().name());
        details.put("metric", alert.getMetric().isEmpty() ? null : alert.getMetric());
        details.put("status", alert.getStatus().name());
        details.put("severity", alert.getSeverity());
        details.put("treatment", alert.getTreatment());
        details.put("effect", alert.getEffect());
        details.put("interval", List.of(nullable(alert.getCiLower()), nullable(alert.getCiUpper())));
        details.put("pValue", alert.getPValue());
        details.put("usersPerArm", AlertViews.users(alert, json));
        details.put("action", alert.getAction());
        details.put("actionBy", alert.getActionBy());
        details.put("policy", subject.policy().name());
        details.put("report", subject.configurationPath() + "/report");
        details.put("restore", "KILLED".equals(alert.getAction()) ? subject.configurationPath() + "/restore" : null);
        notifications.notify(
                subject.projectId(),
                subject.ownerTeam(),
                new Notice(
                        kind,
                        subject.project(),
                        subject.environment(),
                        subject.flag(),
                        title,
                        text,
                        "/api/v1/alerts/" + alert.getId(),
                        details));
    }

    private static Object nullable(Double value) {
        return value == null ? "n/a" : value;
    }

    private static String title(Subject subject, Alert alert) {
        String what = switch (alert.getKind()) {
            case GUARDRAIL ->
                "guardrail " + alert.getMetric() + " " + alert.getSeverity().toLowerCase();
            case SRM -> "sample ratio mismatch";
            case NO_TRAFFIC -> "no impressions";
        };
        return what + " on flag " + subject.flag() + " in " + subject.project() + "/" + subject.environment();
    }

    private static String action(Subject subject, Finding finding) {
        if (finding.severe() && subject.policy() == GuardrailPolicy.NOTIFY) {
            return " The flag's guardrail policy is NOTIFY, so Dimmer did not kill it: kill it if users are hurt ("
                    + "POST " + subject.configurationPath() + "/kill).";
        }
        return "";
    }

    private static String resolvedText(Alert alert) {
        return "The condition has been clear for " + alert.getClearCycles() + " analysis cycles. Last seen: "
                + alert.getSummary();
    }

    private String usersJson(Finding finding) {
        return json.writeValueAsString(finding.usersPerArm());
    }

    static AuditTarget target(Subject subject, Alert alert) {
        return new AuditTarget(
                "alert", String.valueOf(alert.getId()), subject.project(), subject.environment(), subject.flag());
    }

    private static String key(AlertKind kind, String metric) {
        return kind + "/" + metric;
    }
}
