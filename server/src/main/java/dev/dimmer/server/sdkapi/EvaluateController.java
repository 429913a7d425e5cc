package dev.dimmer.server.sdkapi;

import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.InvalidField;
import dev.dimmer.server.system.Violations;
import dev.dimmer.server.targeting.ConfigurationService;
import dev.dimmer.server.targeting.ConfigurationUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Which treatment does key K get for each flag, and why": the admin API's debugging view,
 * answered by the same engine and snapshot the SDKs use.
 *
 * <p>With a {@code draft}, one flag is evaluated as its unsaved configuration would serve (validated exactly as a
 * save; nothing is stored), so the console previews who lands where while a person moves a slider. With a
 * {@code sample}, synthetic keys {@code sample-0 … sample-(n-1)} (with the request's attributes) are evaluated too
 * and tallied per treatment and label.
 */
@RestController
class EvaluateController {

    /** What an unknown flag answers with, as in the Java SDK. */
    static final String DEFAULT_TREATMENT = "control";

    static final int MAX_SAMPLE = 10_000;

    private static final int MAX_KEY_LENGTH = 256;

    private final Lookup lookup;
    private final EngineCache engines;
    private final ChangeFeed feed;
    private final SnapshotCache snapshots;
    private final ConfigurationService configurations;

    EvaluateController(
            Lookup lookup,
            EngineCache engines,
            ChangeFeed feed,
            SnapshotCache snapshots,
            ConfigurationService configurations) {
        this.lookup = lookup;
        this.engines = engines;
        this.feed = feed;
        this.snapshots = snapshots;
        this.configurations = configurations;
    }

    /** An unsaved configuration of {@code flag}: the body a PUT of its configuration would take. */
    record Draft(String flag, ConfigurationUpdate configuration) {}

    record EvaluateRequest(
            String key, Map<String, Object> attributes, List<String> flags, Draft draft, Integer sample) {}

    /** How {@code size} synthetic keys split over one flag's treatments and labels. */
    record SampleTally(String flag, int size, Map<String, Integer> treatments, Map<String, Integer> labels) {}

    record EvaluateResponse(
            String environment,
            long changeNumber,
            String key,
            List<EvaluationResult> results,
            boolean draft,
            List<SampleTally> samples) {}

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
        if (request.sample() != null && (request.sample() < 0 || request.sample() > MAX_SAMPLE)) {
            v.add("/sample", "must be between 0 and " + MAX_SAMPLE);
        }
        Draft draft = request.draft();
        if (draft != null && (draft.flag() == null || draft.configuration() == null)) {
            v.add("/draft", "needs a flag and a configuration");
        }
        v.throwIfAny();
        EvaluationEngine engine = draft == null ? engines.current(env.getId()) : withDraft(project, env, draft);
        Map<String, Object> attributes = request.attributes() == null ? Map.of() : request.attributes();
        List<String> flags = request.flags() == null || request.flags().isEmpty()
                ? List.copyOf(new TreeSet<>(engine.flagKeys()))
                : request.flags();
        List<EvaluationResult> results = flags.stream()
                .map(flag -> engine.evaluate(flag, request.key(), attributes, DEFAULT_TREATMENT))
                .toList();
        int sample = request.sample() == null ? 0 : request.sample();
        List<SampleTally> samples = sample == 0
                ? List.of()
                : flags.stream()
                        .map(flag -> tally(engine, flag, sample, attributes))
                        .toList();
        return new EvaluateResponse(
                engine.environment(), engine.changeNumber(), request.key(), results, draft != null, samples);
    }

    /**
     * The environment's current snapshot with one flag replaced by its draft, compiled for this request only. Bad
     * fields are reported under {@code /draft/configuration}, as a save would report them.
     */
    private EvaluationEngine withDraft(String project, Environment env, Draft draft) {
        FlagConfig candidate;
        configurations.check(draft.configuration(), "/draft/configuration");
        try {
            candidate = configurations.draft(project, env.getKey(), draft.flag(), draft.configuration());
        } catch (ApiException e) {
            List<InvalidField> moved = e.errors().stream()
                    .map(f -> new InvalidField("/draft/configuration" + f.pointer(), f.detail()))
                    .toList();
            throw moved.isEmpty() ? e : ApiException.invalid(moved);
        }
        Snapshot current = snapshots.get(env.getId(), feed.current(env.getId())).snapshot();
        List<FlagConfig> flags = new ArrayList<>(current.flags().size() + 1);
        for (FlagConfig flag : current.flags()) {
            if (!flag.key().equals(candidate.key())) {
                flags.add(flag);
            }
        }
        flags.add(candidate);
        return EvaluationEngine.compile(
                new Snapshot(current.environment(), current.changeNumber(), flags, current.segments()));
    }

    private static SampleTally tally(EvaluationEngine engine, String flag, int size, Map<String, Object> attributes) {
        Map<String, Integer> treatments = new TreeMap<>();
        Map<String, Integer> labels = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            EvaluationResult result = engine.evaluate(flag, "sample-" + i, attributes, DEFAULT_TREATMENT);
            treatments.merge(result.treatment(), 1, Integer::sum);
            labels.merge(result.label(), 1, Integer::sum);
        }
        return new SampleTally(flag, size, treatments, labels);
    }
}
