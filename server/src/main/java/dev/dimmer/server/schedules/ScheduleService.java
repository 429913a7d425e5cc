package dev.dimmer.server.schedules;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.InvalidField;
import dev.dimmer.server.system.Violations;
import dev.dimmer.server.targeting.ConfigurationService;
import dev.dimmer.server.targeting.ConfigurationUpdate;
import dev.dimmer.server.targeting.ConfigurationView;
import dev.dimmer.server.targeting.ETags;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Creates, lists and cancels scheduled changes; {@link ScheduleExecutor} runs them. */
@Service
class ScheduleService {

    /** How far in the past a requested time may lie (clocks differ a little); it then runs at once. */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);

    static final int MAX_COMMENT = 2000;

    /**
     * The body of {@code POST …/schedules}.
     *
     * @param runAt ISO-8601 instant
     * @param weight SET_ROLLOUT: basis points of the default split for the treatment (100 = 1 %)
     * @param treatment SET_ROLLOUT: the treatment ramped (default {@code on}); the control is the off treatment
     * @param configuration APPLY: the whole configuration
     * @param baseVersion the configuration version the change is made against (default: {@code If-Match}, else the
     *     current version)
     */
    @Schema(name = "ScheduleRequest")
    record Request(
            String runAt,
            String action,
            Integer weight,
            String treatment,
            ConfigurationUpdate configuration,
            Long baseVersion,
            String comment) {}

    private final FlagService flags;
    private final FlagTreatments treatments;
    private final Lookup lookup;
    private final ConfigurationService configurations;
    private final ScheduleRepository schedules;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    ScheduleService(
            FlagService flags,
            FlagTreatments treatments,
            Lookup lookup,
            ConfigurationService configurations,
            ScheduleRepository schedules,
            AuditLog audit,
            JsonMapper json,
            Clock clock) {
        this.flags = flags;
        this.treatments = treatments;
        this.lookup = lookup;
        this.configurations = configurations;
        this.schedules = schedules;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    ScheduleView create(Actor actor, String project, String environment, String flag, String ifMatch, Request request) {
        Flag definition = flags.find(project, flag);
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        ConfigurationView current = configurations.get(project, environment, flag);
        Instant now = clock.instant();
        Violations v = new Violations();
        if (request == null) {
            v.add("", "a scheduled change is required").throwIfAny();
        }
        Instant runAt = null;
        if (request.runAt() == null) {
            v.add("/runAt", "is required (an ISO-8601 instant such as 2030-01-31T09:00:00Z)");
        } else {
            runAt = v.instant("/runAt", request.runAt());
            if (runAt != null && runAt.isBefore(now.minus(PAST_TOLERANCE))) {
                v.add("/runAt", "is in the past (now: " + now + ")");
            }
        }
        ScheduleAction action = null;
        if (request.action() == null) {
            v.add("/action", "is required: one of " + Arrays.toString(ScheduleAction.values()));
        } else {
            try {
                action = ScheduleAction.valueOf(request.action().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.add("/action", "must be one of " + Arrays.toString(ScheduleAction.values()));
            }
        }
        v.maxLength("/comment", request.comment(), MAX_COMMENT);
        String payload =
                action == null ? null : payload(action, request, definition, current, project, environment, flag, v);
        long baseVersion = baseVersion(request, ifMatch, current, v);
        v.throwIfAny();
        long id = schedules.insert(
                definition.getId(),
                env.getId(),
                runAt,
                action,
                payload,
                baseVersion,
                request.comment(),
                actor.name(),
                now);
        ScheduledChange created = schedules.find(id).orElseThrow();
        ScheduleView view = view(created);
        audit.record(actor, "schedule", target(created), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    List<ScheduleView> list(String project, String environment, String flag, String status, int limit) {
        Project p = lookup.project(project);
        Long environmentId =
                environment == null ? null : lookup.environment(p, environment).getId();
        Long flagId = flag == null ? null : flags.find(project, flag).getId();
        ScheduleStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = ScheduleStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("/status", "must be one of " + Arrays.toString(ScheduleStatus.values()));
            }
        }
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("/limit", "must be between 1 and 1000");
        }
        return schedules.list(p.getId(), environmentId, flagId, wanted, limit).stream()
                .map(this::view)
                .toList();
    }

    @Transactional(readOnly = true)
    ScheduleView get(String project, String environment, String flag, long id) {
        return view(find(project, environment, flag, id));
    }

    /** Cancels a pending change (kept, as cancelled); 409 once it ran. */
    @Transactional
    ScheduleView cancel(Actor actor, String project, String environment, String flag, long id) {
        ScheduledChange found = find(project, environment, flag, id);
        actor.requireEditorOf(project);
        ScheduledChange locked = schedules.lock(found.id()).orElseThrow();
        if (locked.status() == ScheduleStatus.CANCELLED) {
            return view(locked);
        }
        if (locked.status() != ScheduleStatus.PENDING) {
            throw ApiException.conflict("scheduled change " + id + " already ran ("
                    + locked.status().name().toLowerCase(Locale.ROOT) + "): " + locked.outcome());
        }
        ScheduleView before = view(locked);
        schedules.finish(
                id, ScheduleStatus.CANCELLED, actor.name(), "cancelled by " + actor.name(), null, clock.instant());
        ScheduleView after = view(schedules.find(id).orElseThrow());
        audit.record(actor, "cancel", target(locked), before, after);
        return after;
    }

    private ScheduledChange find(String project, String environment, String flag, long id) {
        Flag definition = flags.find(project, flag);
        Environment env = lookup.environment(project, environment);
        return schedules
                .find(id)
                .filter(s -> s.flagId() == definition.getId() && s.environmentId() == env.getId())
                .orElseThrow(() -> ApiException.notFound(
                        "scheduled change " + id + " of flag '" + flag + "' in '" + environment + "'"));
    }

    private String payload(
            ScheduleAction action,
            Request request,
            Flag definition,
            ConfigurationView current,
            String project,
            String environment,
            String flag,
            Violations v) {
        switch (action) {
            case SET_ROLLOUT -> {
                List<String> names = treatments.namesOf(definition);
                String treatment =
                        request.treatment() != null ? request.treatment() : names.contains("on") ? "on" : null;
                if (treatment == null || !names.contains(treatment)) {
                    v.add("/treatment", "must be one of the flag's treatments " + names);
                } else if (treatment.equals(current.offTreatment())) {
                    v.add("/treatment", "is the off treatment '" + treatment + "', the control of the rollout");
                }
                if (request.weight() == null) {
                    v.add("/weight", "is required: basis points of the default split (100 = 1%)");
                } else if (request.weight() < 0 || request.weight() > 10_000) {
                    v.add("/weight", "must be between 0 and 10000 basis points (100 = 1%)");
                }
                return json.writeValueAsString(new ScheduledChange.Rollout(
                        treatment, current.offTreatment(), request.weight() == null ? 0 : request.weight()));
            }
            case APPLY -> {
                if (request.configuration() == null) {
                    v.add("/configuration", "is required: the whole configuration, as PUT takes it");
                    return null;
                }
                try {
                    configurations.draft(project, environment, flag, request.configuration());
                } catch (ApiException e) {
                    if (e.status() != HttpStatus.BAD_REQUEST) {
                        throw e;
                    }
                    for (InvalidField f : e.errors()) {
                        v.add("/configuration" + f.pointer(), f.detail());
                    }
                }
                return json.writeValueAsString(request.configuration());
            }
            default -> {
                return null;
            }
        }
    }

    private static long baseVersion(Request request, String ifMatch, ConfigurationView current, Violations v) {
        Optional<Long> fromHeader = ETags.version(ifMatch);
        if (ifMatch != null && !ifMatch.isBlank() && fromHeader.isEmpty()) {
            v.add("/If-Match", "must be an ETag such as \"3\"");
        }
        Long base = request.baseVersion() != null ? request.baseVersion() : fromHeader.orElse(null);
        if (base == null) {
            return current.version();
        }
        if (base != current.version()) {
            throw ApiException.preconditionFailed("the change is made against version " + base
                    + " but the configuration is at version " + current.version()
                    + "; fetch it again and schedule against what it is now");
        }
        return base;
    }

    private static AuditTarget target(ScheduledChange s) {
        return new AuditTarget("scheduled-change", String.valueOf(s.id()), s.project(), s.environment(), s.flag());
    }

    ScheduleView view(ScheduledChange s) {
        return new ScheduleView(
                s.id(),
                s.project(),
                s.environment(),
                s.flag(),
                s.runAt(),
                s.action(),
                s.action() == ScheduleAction.SET_ROLLOUT
                        ? json.readValue(s.payload(), ScheduledChange.Rollout.class)
                        : null,
                s.action() == ScheduleAction.APPLY ? json.readValue(s.payload(), ConfigurationUpdate.class) : null,
                s.baseVersion(),
                s.status(),
                s.comment(),
                s.createdBy(),
                s.createdAt(),
                s.finishedAt(),
                s.finishedBy(),
                s.outcome(),
                s.appliedVersion());
    }
}
