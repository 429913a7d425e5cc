package dev.dimmer.server.targeting;

import dev.dimmer.sdk.eval.ConfigValidator;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Treatment;
import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.ChangeNumbers;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.segments.SegmentRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.InvalidField;
import dev.dimmer.server.system.Limits;
import dev.dimmer.server.system.Violations;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and changes a flag's configuration in an environment: validated, versioned, audited. People reach it through
 * {@link ConfigurationController}; automation (rollout plans, scheduled changes, guardrails) calls the public methods
 * inside its own transaction with an actor such as {@code plan:<id>} and a comment saying why, so every change, by
 * whoever, is the same validated, audited change that reaches SDKs by streaming.
 */
@Service
public class ConfigurationService {

    /** A flag configuration as read, with the entities around it. */
    record Located(String project, Flag flag, Environment environment, FlagConfiguration configuration) {}

    private final FlagService flags;
    private final FlagTreatments treatments;
    private final Lookup lookup;
    private final FlagConfigurationRepository configurations;
    private final SegmentRepository segments;
    private final ConfigurationJson json;
    private final PrerequisiteCheck prerequisites;
    private final AuditLog audit;
    private final ChangeNumbers changeNumbers;
    private final Limits limits;

    ConfigurationService(
            FlagService flags,
            FlagTreatments treatments,
            Lookup lookup,
            FlagConfigurationRepository configurations,
            SegmentRepository segments,
            ConfigurationJson json,
            PrerequisiteCheck prerequisites,
            AuditLog audit,
            ChangeNumbers changeNumbers,
            Limits limits) {
        this.flags = flags;
        this.treatments = treatments;
        this.lookup = lookup;
        this.configurations = configurations;
        this.segments = segments;
        this.json = json;
        this.prerequisites = prerequisites;
        this.audit = audit;
        this.changeNumbers = changeNumbers;
        this.limits = limits;
    }

    /**
     * The limits of {@code request} ({@code dimmer.limits.*}): list sizes, value lengths, and every pattern measured,
     * never compiled. Call it before a transaction begins (this method opens none): an oversized or hostile rule is
     * refused without ever holding a database connection, and what the transactional save then compiles is bounded.
     * 400 naming every field over a limit, under {@code prefix}.
     */
    public void check(ConfigurationUpdate request, String prefix) {
        if (request == null) {
            return;
        }
        List<InvalidField> errors = ConfigValidator.checkLimits(request.rules(), limits.config()).stream()
                .map(violation -> new InvalidField(prefix + violation.pointer(), violation.message()))
                .toList();
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    @Transactional(readOnly = true)
    public ConfigurationView get(String project, String environment, String flag) {
        Located located = locate(project, environment, flag);
        return view(located.flag(), located.environment(), located.configuration());
    }

    /**
     * Replaces the configuration. {@code ifMatch} (an ETag) must name the current version when
     * given; a stale one answers 412 and changes nothing.
     */
    @Transactional
    ConfigurationView update(
            Actor actor, String project, String environment, String flag, String ifMatch, ConfigurationUpdate request) {
        Located located = locate(project, environment, flag);
        actor.requireEditorOf(project);
        checkVersion(located.configuration(), ifMatch);
        return replace(actor, located, request, null);
    }

    /**
     * Replaces the configuration on behalf of automation, made against {@code expectedVersion}: if the configuration
     * moved since, 412 and nothing changes (a concurrent change that commits first fails this one the same way).
     *
     * @param comment recorded in the audit entry (null: the current request's {@code X-Dimmer-Comment}, if any)
     */
    @Transactional
    public ConfigurationView update(
            Actor actor,
            String project,
            String environment,
            String flag,
            long expectedVersion,
            ConfigurationUpdate request,
            String comment) {
        Located located = locate(project, environment, flag);
        actor.requireEditorOf(project);
        if (located.configuration().getVersion() != expectedVersion) {
            throw stale(ETags.of(expectedVersion), located.configuration());
        }
        return replace(actor, located, request, comment);
    }

    /**
     * What {@code request} would make of the configuration, validated exactly as a save is (400 naming every bad
     * field), without storing anything: scheduled changes check their configuration with it, and the console's live
     * preview evaluates it.
     */
    @Transactional(readOnly = true)
    public FlagConfig draft(String project, String environment, String flag, ConfigurationUpdate request) {
        return candidate(locate(project, environment, flag), request);
    }

    private ConfigurationView replace(Actor actor, Located located, ConfigurationUpdate request, String comment) {
        FlagConfiguration configuration = located.configuration();
        FlagConfig candidate = candidate(located, request);
        ConfigurationView before = view(located.flag(), located.environment(), configuration);
        configuration.replace(
                candidate.enabled(),
                candidate.offTreatment(),
                json.write(candidate.rules()),
                json.write(candidate.defaultServe()),
                candidate.trafficAllocation(),
                candidate.seed(),
                candidate.trafficSeed(),
                json.write(candidate.prerequisites()));
        return commit(actor, "update", located, before, comment);
    }

    /** The configuration {@code request} describes, validated with the SDK's own engine; 400 naming every bad field. */
    private FlagConfig candidate(Located located, ConfigurationUpdate request) {
        FlagConfiguration configuration = located.configuration();
        List<Treatment> flagTreatments = treatments.of(located.flag());
        Violations v = new Violations();
        if (request.enabled() == null) v.add("/enabled", "is required");
        if (request.offTreatment() == null) v.add("/offTreatment", "is required");
        if (request.defaultServe() == null) v.add("/defaultServe", "is required");
        FlagConfig candidate = new FlagConfig(
                located.flag().getKey(),
                flagTreatments,
                Boolean.TRUE.equals(request.enabled()),
                configuration.isKilled(),
                request.offTreatment(),
                request.rules(),
                request.defaultServe(),
                request.trafficAllocation() == null ? 10_000 : request.trafficAllocation(),
                request.seed() == null ? configuration.getSeed() : request.seed(),
                request.trafficSeed() == null ? configuration.getTrafficSeed() : request.trafficSeed(),
                request.prerequisites(),
                configuration.getVersion());
        if (v.isEmpty()) {
            Set<String> segmentKeys =
                    Set.copyOf(segments.activeKeysOf(located.environment().getId()));
            ConfigValidator.validate(candidate, segmentKeys, limits.config())
                    .forEach(violation -> v.add(violation.pointer(), violation.message()));
        }
        prerequisites.check(located.flag(), located.environment(), candidate.prerequisites(), v);
        v.throwIfAny();
        return candidate;
    }

    @Transactional
    ConfigurationView kill(Actor actor, String project, String environment, String flag) {
        return kill(actor, project, environment, flag, null);
    }

    @Transactional
    ConfigurationView restore(Actor actor, String project, String environment, String flag) {
        return restore(actor, project, environment, flag, null);
    }

    /**
     * The kill switch, for people and automation alike ({@code Actor.system("plan:<id>")}): the same checks, version
     * bump, audit entry and SDK notification. {@code comment} goes into the audit entry (null: the request's {@code
     * X-Dimmer-Comment}). Killing a killed flag changes nothing.
     */
    @Transactional
    public ConfigurationView kill(Actor actor, String project, String environment, String flag, String comment) {
        Located located = locate(project, environment, flag);
        actor.requireEditorOf(project);
        return setKilled(actor, located, true, comment);
    }

    /** Undoes a kill; see {@link #kill(Actor, String, String, String, String)}. */
    @Transactional
    public ConfigurationView restore(Actor actor, String project, String environment, String flag, String comment) {
        Located located = locate(project, environment, flag);
        actor.requireEditorOf(project);
        return setKilled(actor, located, false, comment);
    }

    private ConfigurationView setKilled(Actor actor, Located located, boolean killed, String comment) {
        FlagConfiguration configuration = located.configuration();
        if (configuration.isKilled() == killed) {
            return view(located.flag(), located.environment(), configuration);
        }
        ConfigurationView before = view(located.flag(), located.environment(), configuration);
        configuration.setKilled(killed);
        return commit(actor, killed ? "kill" : "restore", located, before, comment);
    }

    private ConfigurationView commit(
            Actor actor, String action, Located located, ConfigurationView before, String comment) {
        FlagConfiguration saved = configurations.saveAndFlush(located.configuration());
        changeNumbers.bump(located.environment().getId());
        ConfigurationView after = view(located.flag(), located.environment(), saved);
        AuditTarget target = AuditTarget.flagConfiguration(
                located.project(),
                located.environment().getKey(),
                located.flag().getKey());
        if (comment == null) {
            audit.record(actor, action, target, before, after);
        } else {
            audit.record(actor, action, target, before, after, comment);
        }
        return after;
    }

    @Transactional(readOnly = true)
    Located locate(String project, String environment, String flag) {
        Flag definition = flags.find(project, flag);
        Environment env = lookup.environment(project, environment);
        FlagConfiguration configuration = configurations
                .findByFlagIdAndEnvironmentId(definition.getId(), env.getId())
                .orElseThrow(
                        () -> ApiException.notFound("configuration of flag '" + flag + "' in '" + environment + "'"));
        return new Located(project, definition, env, configuration);
    }

    private static void checkVersion(FlagConfiguration configuration, String ifMatch) {
        Optional<Long> expected = ETags.version(ifMatch);
        if (ifMatch != null && !ifMatch.isBlank() && !"*".equals(ifMatch.trim()) && expected.isEmpty()) {
            throw ApiException.invalid("/If-Match", "must be an ETag such as \"3\"");
        }
        if (expected.isPresent() && expected.get() != configuration.getVersion()) {
            throw stale(ifMatch, configuration);
        }
    }

    private static ApiException stale(String ifMatch, FlagConfiguration configuration) {
        return ApiException.preconditionFailed("If-Match " + ifMatch + " is stale: the configuration is at version "
                + configuration.getVersion() + "; fetch it again and reapply your change");
    }

    ConfigurationView view(Flag flag, Environment environment, FlagConfiguration c) {
        List<Rule> rules = json.rules(c);
        List<Prerequisite> prereqs = json.prerequisites(c);
        return new ConfigurationView(
                flag.getKey(),
                environment.getKey(),
                c.isEnabled(),
                c.isKilled(),
                c.getOffTreatment(),
                rules,
                json.defaultServe(c),
                c.getTrafficAllocation(),
                c.getSeed(),
                c.getTrafficSeed(),
                prereqs,
                c.getVersion(),
                c.getUpdatedAt());
    }
}
