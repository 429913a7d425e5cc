package dev.dimmer.server.targeting;

import dev.dimmer.server.security.Actor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A flag's configuration in one environment, with ETag/If-Match, and its kill switch. */
@RestController
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}")
class ConfigurationController {

    private final ConfigurationService configurations;

    ConfigurationController(ConfigurationService configurations) {
        this.configurations = configurations;
    }

    @GetMapping
    ResponseEntity<ConfigurationView> get(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String flag) {
        actor.requireReaderOf(project);
        return withETag(configurations.get(project, environment, flag));
    }

    @PutMapping
    ResponseEntity<ConfigurationView> update(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody ConfigurationUpdate request) {
        configurations.check(request, ""); // before the transaction: no connection held while patterns compile
        return withETag(configurations.update(actor, project, environment, flag, ifMatch, request));
    }

    /** One click: everyone gets the off treatment until restored. */
    @PostMapping("/kill")
    ResponseEntity<ConfigurationView> kill(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String flag) {
        return withETag(configurations.kill(actor, project, environment, flag));
    }

    @PostMapping("/restore")
    ResponseEntity<ConfigurationView> restore(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String flag) {
        return withETag(configurations.restore(actor, project, environment, flag));
    }

    private static ResponseEntity<ConfigurationView> withETag(ConfigurationView view) {
        return ResponseEntity.ok().eTag(ETags.of(view.version())).body(view);
    }
}
