package dev.dimmer.server.sdkapi;

import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.Violations;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Which treatment does key K get for each flag, and why": the admin API's debugging view,
 * answered by the same engine and snapshot the SDKs use.
 */
@RestController
class EvaluateController {

    /** What an unknown flag answers with, as in the Java SDK. */
    static final String DEFAULT_TREATMENT = "control";

    private static final int MAX_KEY_LENGTH = 256;

    private final Lookup lookup;
    private final EngineCache engines;

    EvaluateController(Lookup lookup, EngineCache engines) {
        this.lookup = lookup;
        this.engines = engines;
    }

    record EvaluateRequest(String key, Map<String, Object> attributes, List<String> flags) {}

    record EvaluateResponse(String environment, long changeNumber, String key, List<EvaluationResult> results) {}

    @PostMapping("/api/v1/projects/{project}/environments/{environment}/evaluate")
    EvaluateResponse evaluate(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestBody EvaluateRequest request) {
        actor.requireReaderOf(project);
        Environment env = lookup.environment(project, environment);
        Violations v = new Violations();
        if (request.key() == null || request.key().isEmpty()) {
            v.add("/key", "is required");
        } else {
            v.maxLength("/key", request.key(), MAX_KEY_LENGTH);
        }
        v.throwIfAny();
        EvaluationEngine engine = engines.current(env.getId());
        Map<String, Object> attributes = request.attributes() == null ? Map.of() : request.attributes();
        List<String> flags = request.flags() == null || request.flags().isEmpty()
                ? List.copyOf(new TreeSet<>(engine.flagKeys()))
                : request.flags();
        List<EvaluationResult> results = flags.stream()
                .map(flag -> engine.evaluate(flag, request.key(), attributes, DEFAULT_TREATMENT))
                .toList();
        return new EvaluateResponse(engine.environment(), engine.changeNumber(), request.key(), results);
    }
}
