package dev.dimmer.server.segments;

import dev.dimmer.server.security.Actor;
import dev.dimmer.server.segments.SegmentService.CreateSegment;
import dev.dimmer.server.segments.SegmentService.KeyChanges;
import dev.dimmer.server.segments.SegmentService.SegmentView;
import dev.dimmer.server.segments.SegmentService.UpdateSegment;
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
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/segments")
class SegmentController {

    private final SegmentService segments;

    SegmentController(SegmentService segments) {
        this.segments = segments;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SegmentView create(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestBody CreateSegment request) {
        segments.check(request.conditions()); // before the transaction: patterns compile without a connection held
        return segments.create(actor, project, environment, request);
    }

    @GetMapping
    List<SegmentView> list(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "false") boolean archived) {
        actor.requireReaderOf(project);
        return segments.list(project, environment, q, archived);
    }

    @GetMapping("/{segment}")
    SegmentView get(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String segment) {
        actor.requireReaderOf(project);
        return segments.get(project, environment, segment);
    }

    /** The explicit keys, sorted, a page at a time. */
    @GetMapping("/{segment}/keys")
    List<String> keys(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String segment,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "1000") int limit) {
        actor.requireReaderOf(project);
        return segments.keys(project, environment, segment, offset, limit);
    }

    /** Bulk add and remove of explicit keys in one audited change. */
    @PostMapping("/{segment}/keys")
    SegmentView changeKeys(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String segment,
            @RequestBody KeyChanges request) {
        return segments.changeKeys(actor, project, environment, segment, request);
    }

    @PatchMapping("/{segment}")
    SegmentView update(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String segment,
            @RequestBody UpdateSegment request) {
        segments.check(request.conditions());
        return segments.update(actor, project, environment, segment, request);
    }

    /** Archives; refused while a flag configuration still targets the segment. */
    @DeleteMapping("/{segment}")
    SegmentView archive(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String segment) {
        return segments.archive(actor, project, environment, segment);
    }
}
