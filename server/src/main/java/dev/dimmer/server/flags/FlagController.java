package dev.dimmer.server.flags;

import dev.dimmer.server.flags.FlagRequests.CreateFlag;
import dev.dimmer.server.flags.FlagRequests.UpdateFlag;
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
@RequestMapping("/api/v1/projects/{project}/flags")
class FlagController {

    private final FlagService flags;
    private final FlagTreatments treatments;

    FlagController(FlagService flags, FlagTreatments treatments) {
        this.flags = flags;
        this.treatments = treatments;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    FlagView create(Actor actor, @PathVariable String project, @RequestBody CreateFlag request) {
        return flags.create(actor, project, request);
    }

    /** Search: {@code q} in key or description, exact {@code tag}, {@code owner}, {@code kind}; status active|archived|all. */
    @GetMapping
    List<FlagView> search(
            Actor actor,
            @PathVariable String project,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String kind,
            @RequestParam(defaultValue = "active") String status) {
        actor.requireReaderOf(project);
        return flags.search(project, q, tag, owner, kind, status);
    }

    @GetMapping("/{flag}")
    FlagView get(Actor actor, @PathVariable String project, @PathVariable String flag) {
        actor.requireReaderOf(project);
        return treatments.view(flags.find(project, flag));
    }

    @PatchMapping("/{flag}")
    FlagView update(
            Actor actor, @PathVariable String project, @PathVariable String flag, @RequestBody UpdateFlag request) {
        return flags.update(actor, project, flag, request);
    }

    /** Archives the flag: SDKs stop seeing it (callers get their default); its history stays. */
    @DeleteMapping("/{flag}")
    FlagView archive(Actor actor, @PathVariable String project, @PathVariable String flag) {
        return flags.update(actor, project, flag, new UpdateFlag(null, null, null, null, null, true));
    }
}
