package dev.dimmer.server.metrics;

import dev.dimmer.server.metrics.FlagMetricsService.FlagMetricsUpdate;
import dev.dimmer.server.metrics.FlagMetricsService.FlagMetricsView;
import dev.dimmer.server.security.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A flag's success metrics and control treatment; its guardrails are listed, not chosen. */
@RestController
@RequestMapping("/api/v1/projects/{project}/flags/{flag}/metrics")
class FlagMetricsController {

    private final FlagMetricsService flagMetrics;

    FlagMetricsController(FlagMetricsService flagMetrics) {
        this.flagMetrics = flagMetrics;
    }

    @GetMapping
    FlagMetricsView get(Actor actor, @PathVariable String project, @PathVariable String flag) {
        actor.requireReaderOf(project);
        return flagMetrics.get(project, flag);
    }

    @PutMapping
    FlagMetricsView replace(
            Actor actor,
            @PathVariable String project,
            @PathVariable String flag,
            @RequestBody FlagMetricsUpdate request) {
        return flagMetrics.replace(actor, project, flag, request);
    }
}
