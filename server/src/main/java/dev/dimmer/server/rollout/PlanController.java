package dev.dimmer.server.rollout;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.targeting.ETags;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A flag's rollout plan in one environment (docs/guardrails.md). Actions take an optional {@code X-Dimmer-Comment},
 * recorded with the transition and in the audit log.
 */
@RestController
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/plan")
class PlanController {

    /** The optional body of {@code approve} ({@code stage}) and {@code skip} ({@code toStage}). */
    record StageChoice(Integer stage, Integer toStage) {}

    private final PlanService plans;

    PlanController(PlanService plans) {
        this.plans = plans;
    }

    @GetMapping
    ResponseEntity<PlanView> get(
            @PathVariable String project, @PathVariable String environment, @PathVariable String flag) {
        return withETag(HttpStatus.OK, plans.get(project, environment, flag));
    }

    /** Defines the plan: 201 for a new draft, 200 for a redefined draft; 409 while another plan runs. */
    @PutMapping
    ResponseEntity<PlanView> define(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody PlanDefinition.Request request) {
        PlanService.Defined defined = plans.define(actor, project, environment, flag, ifMatch, request);
        return withETag(defined.created() ? HttpStatus.CREATED : HttpStatus.OK, defined.plan());
    }

    @PostMapping("/start")
    ResponseEntity<PlanView> start(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment) {
        return withETag(HttpStatus.OK, plans.start(actor, project, environment, flag, comment));
    }

    @PostMapping("/approve")
    ResponseEntity<PlanView> approve(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment,
            @RequestBody(required = false) StageChoice body) {
        Integer stage = body == null ? null : body.stage();
        return withETag(HttpStatus.OK, plans.approve(actor, project, environment, flag, stage, comment));
    }

    @PostMapping("/pause")
    ResponseEntity<PlanView> pause(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment) {
        return withETag(HttpStatus.OK, plans.pause(actor, project, environment, flag, comment));
    }

    @PostMapping("/resume")
    ResponseEntity<PlanView> resume(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment) {
        return withETag(HttpStatus.OK, plans.resume(actor, project, environment, flag, comment));
    }

    @PostMapping("/skip")
    ResponseEntity<PlanView> skip(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment,
            @RequestBody(required = false) StageChoice body) {
        Integer toStage = body == null ? null : body.toStage();
        return withETag(HttpStatus.OK, plans.skip(actor, project, environment, flag, toStage, comment));
    }

    @PostMapping("/abort")
    ResponseEntity<PlanView> abort(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = AuditLog.COMMENT_HEADER, required = false) String comment) {
        return withETag(HttpStatus.OK, plans.abort(actor, project, environment, flag, comment));
    }

    private static ResponseEntity<PlanView> withETag(HttpStatus status, PlanView view) {
        return ResponseEntity.status(status).eTag(ETags.of(view.version())).body(view);
    }
}
