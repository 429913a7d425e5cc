package dev.dimmer.server.alerts;

import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alerts across the projects the caller may read (docs/guardrails.md "On call"). Acknowledging and resolving need an
 * editor of the alert's project and a comment; both are audited.
 */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertController {

    /** The body of {@code ack} and {@code resolve}. */
    record Comment(String comment) {}

    private final AlertService alerts;

    AlertController(AlertService alerts) {
        this.alerts = alerts;
    }

    /** Newest first; {@code environment} and {@code flag} need {@code project}; page back with {@code beforeId}. */
    @GetMapping
    List<AlertView> list(
            Actor reader,
            @RequestParam(required = false) String project,
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String flag,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) Long beforeId,
            @RequestParam(defaultValue = "100") int limit) {
        return alerts.list(reader, new AlertService.Filter(project, environment, flag, status, kind, beforeId), limit);
    }

    @GetMapping("/{id}")
    AlertView get(Actor reader, @PathVariable long id) {
        return alerts.get(reader, id);
    }

    /** "I am on it": stays unresolved, the team hears again only if it gets worse or Dimmer acts. */
    @PostMapping("/{id}/ack")
    AlertView acknowledge(Actor actor, @PathVariable long id, @RequestBody(required = false) Comment body) {
        return alerts.acknowledge(actor, id, body == null ? null : body.comment());
    }

    @PostMapping("/{id}/resolve")
    AlertView resolve(Actor actor, @PathVariable long id, @RequestBody(required = false) Comment body) {
        return alerts.resolve(actor, id, body == null ? null : body.comment());
    }
}
