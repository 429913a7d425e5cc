package dev.dimmer.server.metrics;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.Violations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a flag is judged by: its success metrics (chosen before the experiment starts) and its
 * control treatment, validated and audited. Every guardrail metric of the project applies too and
 * is listed for clarity.
 */
@Service
class FlagMetricsService {

    private final FlagService flags;
    private final FlagTreatments treatments;
    private final MetricRepository metrics;
    private final FlagMetrics flagMetrics;
    private final MetricHistory history;
    private final AuditLog audit;

    FlagMetricsService(
            FlagService flags,
            FlagTreatments treatments,
            MetricRepository metrics,
            FlagMetrics flagMetrics,
            MetricHistory history,
            AuditLog audit) {
        this.flags = flags;
        this.treatments = treatments;
        this.metrics = metrics;
        this.flagMetrics = flagMetrics;
        this.history = history;
        this.audit = audit;
    }

    record SuccessMetric(String key, Instant addedAt) {}

    record FlagMetricsView(String controlTreatment, List<SuccessMetric> successMetrics, List<String> guardrails) {}

    record FlagMetricsUpdate(String controlTreatment, List<String> successMetrics) {}

    @Transactional(readOnly = true)
    FlagMetricsView get(String project, String flag) {
        return view(flags.find(project, flag));
    }

    @Transactional
    FlagMetricsView replace(Actor actor, String project, String flag, FlagMetricsUpdate request) {
        Flag definition = flags.find(project, flag);
        actor.requireEditorOf(project);
        Violations v = new Violations();
        if (request.controlTreatment() != null
                && !treatments.namesOf(definition).contains(request.controlTreatment())) {
            v.add(
                    "/controlTreatment",
                    "unknown treatment '" + request.controlTreatment() + "'; known: " + treatments.namesOf(definition));
        }
        List<String> keys = request.successMetrics() == null ? List.of() : request.successMetrics();
        List<Long> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            var metric = metrics.findByProjectIdAndKey(definition.getProjectId(), key);
            if (metric.isEmpty() || metric.get().isArchived()) {
                v.add("/successMetrics/" + i, "unknown metric '" + key + "'");
            } else if (metric.get().isGuardrail()) {
                v.add("/successMetrics/" + i, "'" + key + "' is a guardrail: guardrails apply to every flag already");
            } else if (seen.add(key)) {
                ids.add(metric.get().getId());
            }
        }
        v.throwIfAny();
        FlagMetricsView before = view(definition);
        recordDetached(actor, definition, ids);
        flagMetrics.replace(definition.getId(), ids, request.controlTreatment());
        FlagMetricsView after = view(definition);
        audit.record(actor, "update-metrics", AuditTarget.flag(project, flag), before, after);
        return after;
    }

    /**
     * For each environment where the flag has started, the success metrics this change detaches (those its report
     * analyses: not archived, not guardrails), so the report lists them as removed after the start.
     */
    private void recordDetached(Actor actor, Flag flag, List<Long> kept) {
        List<Metric> detached = flagMetrics.successMetrics(flag.getId()).stream()
                .map(FlagMetrics.Attached::metric)
                .filter(m -> !kept.contains(m.getId()) && !m.isArchived() && !m.isGuardrail())
                .toList();
        if (detached.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (long environmentId : history.environmentsStarted(flag.getId())) {
            for (Metric m : detached) {
                history.record(
                        environmentId,
                        flag.getId(),
                        m,
                        MetricHistory.Change.REMOVED,
                        m.getDefinitionVersion(),
                        null,
                        "detached from the flag",
                        now,
                        actor.name());
            }
        }
    }

    private FlagMetricsView view(Flag flag) {
        List<SuccessMetric> success = flagMetrics.successMetrics(flag.getId()).stream()
                .map(a -> new SuccessMetric(a.metric().getKey(), a.addedAt()))
                .toList();
        List<String> guardrails = metrics.findByProjectIdAndGuardrailTrueAndArchivedFalse(flag.getProjectId()).stream()
                .map(Metric::getKey)
                .sorted()
                .toList();
        return new FlagMetricsView(flagMetrics.controlTreatment(flag).orElse(null), success, guardrails);
    }
}
