package dev.dimmer.server.schedules;

import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.audit.LastChange;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.targeting.ConfigurationService;
import dev.dimmer.server.targeting.ConfigurationUpdate;
import dev.dimmer.server.targeting.ConfigurationView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one due scheduled change in one transaction: claim its row ({@code FOR UPDATE SKIP LOCKED}), compare the flag's
 * configuration version with the one the change was made against, and either apply the change through {@link
 * ConfigurationService} as {@code schedule:<id>} or mark it failed; then record the outcome and publish {@link
 * ScheduleApplied} or {@link ScheduleFailed}. A crash before the commit leaves the change pending and the configuration
 * untouched, so it runs again at the next pass (or the next start).
 */
@Component
class ScheduleExecutor {

    private static final Logger log = LoggerFactory.getLogger(ScheduleExecutor.class);

    private final ScheduleRepository schedules;
    private final ConfigurationService configurations;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final LastChange lastChange;
    private final JsonMapper json;
    private final Clock clock;

    ScheduleExecutor(
            ScheduleRepository schedules,
            ConfigurationService configurations,
            AuditLog audit,
            ApplicationEventPublisher events,
            LastChange lastChange,
            JsonMapper json,
            Clock clock) {
        this.schedules = schedules;
        this.configurations = configurations;
        this.audit = audit;
        this.events = events;
        this.lastChange = lastChange;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The configuration service refused a due change for a reason retrying will not cure (400, 404, 409: a
     * configuration that no longer validates, a flag archived since). The attempt rolled back; {@link
     * #failAfterRefusal} records it.
     */
    static final class Refused extends RuntimeException {

        private final long scheduleId;

        Refused(long scheduleId, ApiException cause) {
            super(cause.describe(), cause);
            this.scheduleId = scheduleId;
        }

        long scheduleId() {
            return scheduleId;
        }

        private static String describe(ApiException e) {
            StringBuilder s = new StringBuilder(e.getMessage());
            e.errors()
                    .forEach(
                            f -> s.append("; ").append(f.pointer()).append(": ").append(f.detail()));
            return s.toString();
        }
    }

    /**
     * Runs the earliest due change no other replica holds; empty when there is none.
     *
     * @throws Refused when the configuration service refused the change (the transaction rolled back)
     */
    @Transactional
    public Optional<ScheduledChange> runNextDue() {
        Instant now = clock.instant();
        Optional<ScheduledChange> due = schedules.claimDue(now);
        due.ifPresent(s -> {
            try {
                run(s, now);
            } catch (ApiException e) {
                if (!e.status().is4xxClientError() || e.status() == HttpStatus.PRECONDITION_FAILED) {
                    throw e;
                }
                throw new Refused(s.id(), e);
            }
        });
        return due;
    }

    private void run(ScheduledChange s, Instant now) {
        ConfigurationView current = configurations.get(s.project(), s.environment(), s.flag());
        if (current.version() != s.baseVersion()) {
            fail(
                    s,
                    current.version(),
                    "the flag's configuration changed since this change was scheduled (made against"
                            + " version " + s.baseVersion() + ", now at version " + current.version()
                            + ", last change by "
                            + lastChange.actorOf(AuditTarget.flagConfiguration(s.project(), s.environment(), s.flag()))
                            + "); nothing was applied: schedule it again against the current configuration",
                    now);
            return;
        }
        String comment = "scheduled change " + s.id() + " (" + s.action() + " at " + s.runAt() + ") by " + s.createdBy()
                + (s.comment() == null || s.comment().isBlank() ? "" : ": " + s.comment());
        long version = configurations
                .update(
                        Actor.system(s.actor()),
                        s.project(),
                        s.environment(),
                        s.flag(),
                        s.baseVersion(),
                        change(s, current),
                        comment)
                .version();
        String outcome = "applied at " + now + " (configuration version " + s.baseVersion() + " → " + version + ")";
        schedules.finish(s.id(), ScheduleStatus.APPLIED, s.actor(), outcome, version, now);
        int rebased = schedules.rebase(s, s.baseVersion(), version);
        events.publishEvent(new ScheduleApplied(
                s.id(),
                s.project(),
                s.environment(),
                s.flag(),
                s.ownerTeam(),
                s.action(),
                s.runAt(),
                now,
                s.createdBy(),
                version));
        log.info(
                "scheduled change {} of flag '{}' in {}/{} applied ({} late){}",
                s.id(),
                s.flag(),
                s.project(),
                s.environment(),
                java.time.Duration.between(s.runAt(), now),
                rebased > 0 ? "; " + rebased + " later change(s) of the flag now count from version " + version : "");
    }

    /**
     * Marks a change failed in a transaction of its own, after applying it was refused (a configuration that no longer
     * validates, a flag archived since): the refused attempt rolled back.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void failAfterRefusal(long id, String problem) {
        Instant now = clock.instant();
        schedules
                .claim(id)
                .ifPresent(s -> fail(s, null, "the change was refused: " + problem + "; nothing was applied", now));
    }

    private void fail(ScheduledChange s, Long currentVersion, String reason, Instant now) {
        schedules.finish(s.id(), ScheduleStatus.FAILED, s.actor(), reason, null, now);
        audit.record(
                Actor.system(s.actor()),
                "fail",
                new AuditTarget("scheduled-change", String.valueOf(s.id()), s.project(), s.environment(), s.flag()),
                null,
                null,
                reason);
        events.publishEvent(new ScheduleFailed(
                s.id(),
                s.project(),
                s.environment(),
                s.flag(),
                s.ownerTeam(),
                s.action(),
                s.runAt(),
                now,
                s.createdBy(),
                s.baseVersion(),
                currentVersion,
                reason));
        log.warn(
                "scheduled change {} of flag '{}' in {}/{} failed: {}",
                s.id(),
                s.flag(),
                s.project(),
                s.environment(),
                reason);
    }

    private ConfigurationUpdate change(ScheduledChange s, ConfigurationView current) {
        ConfigurationUpdate now = ConfigurationUpdate.of(current);
        return switch (s.action()) {
            case ENABLE -> now.withEnabled(true);
            case DISABLE -> now.withEnabled(false);
            case SET_ROLLOUT -> {
                ScheduledChange.Rollout r = json.readValue(s.payload(), ScheduledChange.Rollout.class);
                yield now.withDefaultServe(
                        r.weight() == 0
                                ? Serve.fixed(r.control())
                                : Serve.split(List.of(
                                        new Split(r.treatment(), r.weight()),
                                        new Split(r.control(), 10_000 - r.weight()))));
            }
            case APPLY -> json.readValue(s.payload(), ConfigurationUpdate.class);
        };
    }
}
