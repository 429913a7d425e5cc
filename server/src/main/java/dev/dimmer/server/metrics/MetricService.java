package dev.dimmer.server.metrics;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.metrics.MetricHistory.Change;
import dev.dimmer.server.metrics.MetricHistory.Started;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Metric definitions of a project: validated, versioned, audited. Once an experiment using a metric has started (a
 * flag it applies to has exposure in an environment), a change of its definition makes a new version and is recorded
 * for each started experiment, as is archiving it ({@link MetricHistory}); before that, an edit changes the definition
 * in place.
 */
@Service
class MetricService {

    private final MetricRepository metrics;
    private final MetricHistory history;
    private final Lookup lookup;
    private final AuditLog audit;

    MetricService(MetricRepository metrics, MetricHistory history, Lookup lookup, AuditLog audit) {
        this.metrics = metrics;
        this.history = history;
        this.lookup = lookup;
        this.audit = audit;
    }

    @Transactional
    MetricView create(Actor actor, String projectKey, MetricRequest request) {
        Project project = lookup.project(projectKey);
        actor.requireEditorOf(projectKey);
        Violations v = new Violations();
        request.check(v, true, null);
        v.throwIfAny();
        if (metrics.findByProjectIdAndKey(project.getId(), request.key()).isPresent()) {
            throw ApiException.conflict("metric '" + request.key() + "' already exists in '" + projectKey + "'");
        }
        Metric metric = new Metric(project.getId(), request.key());
        metric.apply(request);
        metrics.saveAndFlush(metric);
        history.created(metric, actor.name());
        MetricView view = MetricView.of(metric);
        audit.record(actor, "create", target(projectKey, metric), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    List<MetricView> list(String projectKey, String q, Boolean guardrail, boolean archived) {
        Project project = lookup.project(projectKey);
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        return metrics.findByProjectIdOrderByKeyAsc(project.getId()).stream()
                .filter(m -> archived || !m.isArchived())
                .filter(m -> guardrail == null || m.isGuardrail() == guardrail)
                .filter(m -> needle == null
                        || m.getKey().contains(needle)
                        || m.getName().toLowerCase(Locale.ROOT).contains(needle))
                .map(MetricView::of)
                .toList();
    }

    @Transactional(readOnly = true)
    MetricView get(String projectKey, String metricKey) {
        return MetricView.of(find(projectKey, metricKey));
    }

    @Transactional
    MetricView update(Actor actor, String projectKey, String metricKey, MetricRequest request) {
        Metric metric = find(projectKey, metricKey);
        actor.requireEditorOf(projectKey);
        Violations v = new Violations();
        request.check(v, false, metric);
        v.throwIfAny();
        MetricView before = MetricView.of(metric);
        MetricVersion old =
                history.version(metric.getId(), metric.getDefinitionVersion()).orElse(null);
        List<Started> started = history.startedExperimentsUsing(metric); // as the metric is before the change
        metric.apply(request);
        if (old == null || !old.sameDefinitionAs(metric)) {
            if (started.isEmpty()) {
                history.editedInPlace(metric, actor.name());
            } else {
                metric.nextDefinitionVersion();
                history.redefined(metric, actor.name());
                for (Started s : started) {
                    // a guardrail that stops being one leaves the experiments it is not attached to
                    boolean stillInPlay = metric.isGuardrail() || s.attached();
                    history.record(
                            s.environmentId(),
                            s.flagId(),
                            metric,
                            stillInPlay ? Change.REDEFINED : Change.REMOVED,
                            metric.getDefinitionVersion() - 1,
                            stillInPlay ? metric.getDefinitionVersion() : null,
                            stillInPlay ? null : "no longer a guardrail",
                            metric.getUpdatedAt(),
                            actor.name());
                }
            }
        }
        MetricView after = MetricView.of(metrics.saveAndFlush(metric));
        audit.record(actor, "update", target(projectKey, metric), before, after);
        return after;
    }

    @Transactional(readOnly = true)
    List<MetricVersionView> versions(String projectKey, String metricKey) {
        Metric metric = find(projectKey, metricKey);
        return history.versions(metric.getId()).stream()
                .map(MetricVersionView::of)
                .toList();
    }

    @Transactional
    MetricView archive(Actor actor, String projectKey, String metricKey) {
        Metric metric = find(projectKey, metricKey);
        actor.requireEditorOf(projectKey);
        MetricView before = MetricView.of(metric);
        List<Started> started = history.startedExperimentsUsing(metric); // as the metric is before archiving
        metric.setArchived(true);
        for (Started s : started) {
            history.record(
                    s.environmentId(),
                    s.flagId(),
                    metric,
                    Change.REMOVED,
                    metric.getDefinitionVersion(),
                    null,
                    "metric archived",
                    metric.getUpdatedAt(),
                    actor.name());
        }
        MetricView after = MetricView.of(metrics.saveAndFlush(metric));
        audit.record(actor, "archive", target(projectKey, metric), before, after);
        return after;
    }

    Metric find(String projectKey, String metricKey) {
        Project project = lookup.project(projectKey);
        return metrics.findByProjectIdAndKey(project.getId(), metricKey)
                .orElseThrow(() -> ApiException.notFound("metric '" + metricKey + "' of project '" + projectKey + "'"));
    }

    private static AuditTarget target(String project, Metric metric) {
        return new AuditTarget("metric", metric.getKey(), project, null, null);
    }
}
