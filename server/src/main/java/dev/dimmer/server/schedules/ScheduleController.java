package dev.dimmer.server.schedules;

import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Scheduled changes of a flag's configuration (docs/guardrails.md "Scheduled changes"). */
@RestController
class ScheduleController {

    private static final String FLAG = "/api/v1/projects/{project}/environments/{environment}/flags/{flag}/schedules";

    private final ScheduleService schedules;

    ScheduleController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    /** Schedules a change against the configuration's current version (or {@code If-Match} / {@code baseVersion}). */
    @PostMapping(FLAG)
    @ResponseStatus(HttpStatus.CREATED)
    ScheduleView create(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody ScheduleService.Request request) {
        return schedules.create(actor, project, environment, flag, ifMatch, request);
    }

    @GetMapping(FLAG)
    List<ScheduleView> listOfFlag(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        return schedules.list(project, environment, flag, status, limit);
    }

    /** Every scheduled change of a project, newest run time first. */
    @GetMapping("/api/v1/projects/{project}/schedules")
    List<ScheduleView> listOfProject(
            @PathVariable String project,
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String flag,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        return schedules.list(project, environment, flag, status, limit);
    }

    @GetMapping(FLAG + "/{id}")
    ScheduleView get(
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @PathVariable long id) {
        return schedules.get(project, environment, flag, id);
    }

    /** Cancels a pending change; it stays listed, as cancelled. */
    @DeleteMapping(FLAG + "/{id}")
    ScheduleView cancel(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @PathVariable long id) {
        return schedules.cancel(actor, project, environment, flag, id);
    }
}
