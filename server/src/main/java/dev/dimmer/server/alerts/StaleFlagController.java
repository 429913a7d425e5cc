package dev.dimmer.server.alerts;

import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import java.time.Instant;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The project's stale flags, judged at the time of the call (docs/guardrails.md "Stale flags"). */
@RestController
@RequestMapping("/api/v1/projects/{project}/stale-flags")
class StaleFlagController {

    private final StaleFlags staleFlags;
    private final Lookup lookup;

    StaleFlagController(StaleFlags staleFlags, Lookup lookup) {
        this.staleFlags = staleFlags;
        this.lookup = lookup;
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<StaleFlag> list(Actor actor, @PathVariable String project) {
        actor.requireReaderOf(project);
        return staleFlags.find(lookup.project(project).getId(), Instant.now()).stream()
                .map(StaleFlags.Found::flag)
                .toList();
    }
}
