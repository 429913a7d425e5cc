package dev.dimmer.server.exposure;

import dev.dimmer.server.security.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who saw which treatment of a flag, and when (DESIGN.md §5 "Exposure"). Read-only: readers of the project may call it. */
@RestController
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/exposure")
class ExposureController {

    private final ExposureService exposure;

    ExposureController(ExposureService exposure) {
        this.exposure = exposure;
    }

    @GetMapping
    ExposureReport report(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String interval) {
        actor.requireReaderOf(project);
        return exposure.report(project, environment, flag, ReportWindow.of(from, to, interval, exposure.now()));
    }

    @GetMapping("/keys/{key}")
    KeyExposure key(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @PathVariable String key,
            @RequestParam(required = false) Integer limit) {
        actor.requireReaderOf(project);
        return exposure.key(project, environment, flag, key, limit);
    }
}
