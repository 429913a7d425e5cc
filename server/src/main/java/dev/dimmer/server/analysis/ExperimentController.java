package dev.dimmer.server.analysis;

import dev.dimmer.sdk.eval.Labels;
import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.targeting.FlagConfiguration;
import dev.dimmer.server.targeting.FlagConfigurationRepository;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * How a flag's experiment is analysed in an environment: which split is the randomisation (docs/statistics.md "Which
 * users are compared") and the sample the sequential design is tuned for. Readers see it with the split it resolves
 * to now; editors change it (audited).
 */
@RestController
class ExperimentController {

    /** Bounds of the expected sample: below, the sequential interval is tuned for a test too small to decide. */
    static final int MIN_EXPECTED_SAMPLE = 100;

    static final int MAX_EXPECTED_SAMPLE = 1_000_000_000;

    @Schema(name = "ExperimentSettingsRequest")
    record Request(String splitRule, Integer expectedSample, Double minimumDetectableEffect) {}

    @Schema(name = "ExperimentSettingsView")
    record View(ExperimentSettings settings, ExperimentSplit split) {}

    private final Lookup lookup;
    private final FlagService flags;
    private final FlagConfigurationRepository configurations;
    private final ExperimentSplits splits;
    private final AuditLog audit;
    private final Clock clock;

    ExperimentController(
            Lookup lookup,
            FlagService flags,
            FlagConfigurationRepository configurations,
            ExperimentSplits splits,
            AuditLog audit,
            Clock clock) {
        this.lookup = lookup;
        this.flags = flags;
        this.configurations = configurations;
        this.splits = splits;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/experiment")
    View get(Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String flag) {
        actor.requireReaderOf(project);
        Environment env = lookup.environment(project, environment);
        Flag f = flags.find(project, flag);
        return view(f, env);
    }

    @PutMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/experiment")
    @Transactional
    View put(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestBody Request request) {
        actor.requireEditorOf(project);
        Environment env = lookup.environment(project, environment);
        Flag f = flags.find(project, flag);
        if (request == null) {
            throw ApiException.invalid("", "a body is required");
        }
        String splitRule = request.splitRule() == null || request.splitRule().isBlank() ? null : request.splitRule();
        if (splitRule != null) {
            FlagConfiguration configuration = configurations
                    .findByFlagIdAndEnvironmentId(f.getId(), env.getId())
                    .orElseThrow(() -> ApiException.invalid(
                            "/splitRule", "the flag has no configuration in environment '" + environment + "'"));
            ExperimentSplit chosen = splits.of(configuration, splitRule);
            if (!chosen.source().equals(Labels.rule(splitRule))) {
                throw ApiException.invalid(
                        "/splitRule", "no rule with id '" + splitRule + "' serves a split in '" + environment + "'");
            }
        }
        Integer expectedSample = request.expectedSample();
        if (expectedSample != null && (expectedSample < MIN_EXPECTED_SAMPLE || expectedSample > MAX_EXPECTED_SAMPLE)) {
            throw ApiException.invalid(
                    "/expectedSample",
                    "must be between " + MIN_EXPECTED_SAMPLE + " and " + MAX_EXPECTED_SAMPLE + " (or null)");
        }
        Double mde = request.minimumDetectableEffect();
        if (mde != null && !(mde > 0 && mde <= 1)) {
            throw ApiException.invalid(
                    "/minimumDetectableEffect",
                    "must be a relative change above 0 and at most 1 (0.05 = 5 %), or null");
        }
        View before = view(f, env);
        splits.save(
                f.getId(),
                env.getId(),
                new ExperimentSettings(splitRule, expectedSample, mde, clock.instant(), actor.name()));
        View after = view(f, env);
        audit.record(
                actor,
                "experiment",
                AuditTarget.flagConfiguration(project, environment, flag),
                before.settings(),
                after.settings());
        return after;
    }

    private View view(Flag flag, Environment environment) {
        return new View(
                splits.settings(flag.getId(), environment.getId()), splits.of(flag.getId(), environment.getId()));
    }
}
