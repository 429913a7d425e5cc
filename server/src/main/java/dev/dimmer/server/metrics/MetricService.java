package dev.dimmer.server.metrics;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Metric definitions of a project: validated, versioned, audited. */
@Service
class MetricService {

    private final MetricRepository metrics;
    private final Lookup lookup;
    private final AuditLog audit;

    MetricService(MetricRepository metrics, Lookup lookup, AuditLog audit) {
        this.metrics = metrics;
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
        MetricView view = MetricView.of(metrics.saveAndFlush(metric));
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
        metric.apply(request);
        MetricView after = MetricView.of(metrics.saveAndFlush(metric));
        audit.record(actor, "update", target(projectKey, metric), before, after);
        return after;
    }

    @Transactional
    MetricView archive(Actor actor, String projectKey, String metricKey) {
        Metric metric = find(projectKey, metricKey);
        actor.requireEditorOf(projectKey);
        MetricView before = MetricView.of(metric);
        metric.setArchived(true);
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
