package dev.dimmer.server.notifications;

import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.rollout.Evidence;
import dev.dimmer.server.rollout.PlanTransition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells a flag's owning team about each step of its rollout plan ({@code plan.<transition>}: {@code plan.advanced},
 * {@code plan.rolled-back}, {@code plan.killed} …). {@link PlanTransition} is published inside the transaction that
 * made the step, and this listener is synchronous, so the notification is in the outbox if and only if the step
 * commits.
 */
@Component
class PlanTransitionNotifier {

    private final TeamNotifications notifications;
    private final Lookup lookup;
    private final Links links;

    PlanTransitionNotifier(TeamNotifications notifications, Lookup lookup, Links links) {
        this.notifications = notifications;
        this.lookup = lookup;
        this.links = links;
    }

    @EventListener
    void on(PlanTransition t) {
        long projectId = lookup.project(t.project()).getId();
        notifications.notify(projectId, t.ownerTeam(), notice(t));
    }

    Notice notice(PlanTransition t) {
        String kind = "plan." + t.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        String stage = t.toStage() < 0 ? "no stage" : "stage " + (t.toStage() + 1) + " (" + t.stageName() + ")";
        String title =
                "Flag '" + t.flag() + "' in " + t.environment() + ": rollout plan " + verb(t.kind()) + " — " + stage;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("planId", t.planId());
        details.put("transition", t.kind().name());
        details.put("fromStage", t.fromStage());
        details.put("toStage", t.toStage());
        details.put("stage", t.stageName());
        details.put("status", t.status().name());
        details.put("actor", t.actor());
        details.put("configurationVersion", t.configurationVersion());
        details.put("action", action(t));
        Evidence e = t.evidence();
        if (e != null) {
            details.put("srm", e.srmStatus());
            details.put("srmPValue", e.srmPValue());
            details.put("usersPerArm", e.usersPerArm());
            worst(e.guardrails()).ifPresent(g -> {
                details.put("metric", g.metric());
                details.put("guardrailStatus", g.status());
                details.put("relativeLift", g.relativeLift());
                details.put("difference", g.difference());
                details.put("lower", g.lower());
                details.put("upper", g.upper());
            });
            details.put("guardrails", e.guardrails());
        }
        StringBuilder text = new StringBuilder(t.reason() == null ? "" : t.reason());
        if (t.reason() == null || !t.reason().contains(t.actor())) {
            text.append(text.length() == 0 ? "" : ". ").append("By ").append(t.actor());
        }
        text.append('.');
        if (t.kind() == PlanTransition.Kind.KILLED) {
            text.append(" To restore the flag, un-kill it (PUT …/flags/")
                    .append(t.flag())
                    .append(" with killed: false, or the console's Restore); the plan stays halted until resumed.");
        } else if (t.kind() == PlanTransition.Kind.ROLLED_BACK || t.kind() == PlanTransition.Kind.HALTED) {
            text.append(" The plan is halted; resume it (POST …/plan/resume) once the cause is understood.");
        }
        return new Notice(
                kind,
                t.project(),
                t.environment(),
                t.flag(),
                title,
                text.toString(),
                links.flag(t.project(), t.flag(), t.environment()),
                details);
    }

    /** The guardrail to quote first: a breached one, else one at risk, else none. */
    private static java.util.Optional<Evidence.Guardrail> worst(List<Evidence.Guardrail> guardrails) {
        return guardrails.stream()
                .filter(g -> List.of("SEVERE", "BREACHED", "AT_RISK").contains(g.status()))
                .min(java.util.Comparator.comparingInt(
                        g -> List.of("SEVERE", "BREACHED", "AT_RISK").indexOf(g.status())));
    }

    private static String verb(PlanTransition.Kind kind) {
        return switch (kind) {
            case STARTED -> "started";
            case ADVANCED -> "advanced";
            case AWAITING_APPROVAL -> "awaits approval";
            case APPROVED -> "approved";
            case PAUSED -> "paused";
            case RESUMED -> "resumed";
            case SKIPPED -> "skipped ahead";
            case HALTED -> "halted";
            case ROLLED_BACK -> "rolled back";
            case KILLED -> "killed the flag";
            case COMPLETED -> "completed";
            case ABORTED -> "aborted";
        };
    }

    /** What Dimmer did, in a few words (the Slack "Dimmer did" field). */
    private static String action(PlanTransition t) {
        return switch (t.kind()) {
            case KILLED -> "killed the flag (configuration version " + t.configurationVersion() + ")";
            case ROLLED_BACK ->
                "rolled back to " + (t.toStage() < 0 ? "nobody exposed" : "stage " + (t.toStage() + 1))
                        + " and halted the plan";
            case HALTED -> "halted the plan; configuration unchanged";
            case AWAITING_APPROVAL -> "waits for a person's approval";
            default ->
                t.configurationVersion() == null
                        ? t.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        : "applied " + (t.toStage() < 0 ? "no stage" : "stage " + (t.toStage() + 1))
                                + " (configuration version " + t.configurationVersion() + ")";
        };
    }
}
