package dev.dimmer.server.metrics;

import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{project}/metrics")
class MetricController {

    private final MetricService metrics;

    MetricController(MetricService metrics) {
        this.metrics = metrics;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    MetricView create(Actor actor, @PathVariable String project, @RequestBody MetricRequest request) {
        return metrics.create(actor, project, request);
    }

    @GetMapping
    List<MetricView> list(
            Actor actor,
            @PathVariable String project,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) Boolean guardrail,
            @RequestParam(defaultValue = "false") boolean archived) {
        actor.requireReaderOf(project);
        return metrics.list(project, q, guardrail, archived);
    }

    @GetMapping("/{metric}")
    MetricView get(Actor actor, @PathVariable String project, @PathVariable String metric) {
        actor.requireReaderOf(project);
        return metrics.get(project, metric);
    }

    /**
     * Every version of the metric's definition, oldest first: a change after an experiment using the metric started
     * makes a new one (docs/statistics.md "Metric versions").
     */
    @GetMapping("/{metric}/versions")
    List<MetricVersionView> versions(Actor actor, @PathVariable String project, @PathVariable String metric) {
        actor.requireReaderOf(project);
        return metrics.versions(project, metric);
    }

    @PatchMapping("/{metric}")
    MetricView update(
            Actor actor,
            @PathVariable String project,
            @PathVariable String metric,
            @RequestBody MetricRequest request) {
        return metrics.update(actor, project, metric, request);
    }

    /** Archives: past results keep their history; the metric leaves new analyses. */
    @DeleteMapping("/{metric}")
    MetricView archive(Actor actor, @PathVariable String project, @PathVariable String metric) {
        return metrics.archive(actor, project, metric);
    }
}
