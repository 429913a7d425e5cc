package dev.dimmer.server.rollout;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.audit.LastChange;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.targeting.ConfigurationService;
import dev.dimmer.server.targeting.ConfigurationView;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What every step of a plan does, whoever makes it, inside the caller's transaction: change the flag's configuration
 * through {@link ConfigurationService} as {@code plan:<id>} (validated, versioned, audited, streamed to SDKs like any
 * change), then save the plan's new state, append the transition to its history, write an audit entry for the plan
 * and publish the {@link PlanTransition} event. All of it commits together or not at all.
 */
@Component
class PlanChanges {

    private static final Logger log = LoggerFactory.getLogger(PlanChanges.class);

    /** The plan's state as the audit log shows it before and after a step. */
    record AuditedState(String status, int currentStage, String stage, List<Integer> approvedStages, String reason) {

        static AuditedState of(RolloutPlan p) {
            return new AuditedState(
                    p.status().name(),
                    p.currentStage(),
                    p.currentStage() < 0 ? null : p.stage(p.currentStage()).name(),
                    List.copyOf(new TreeSet<>(p.approvedStages())),
                    p.statusReason());
        }
    }

    private final ConfigurationService configurations;
    private final PlanRepository plans;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final LastChange lastChange;

    PlanChanges(
            ConfigurationService configurations,
            PlanRepository plans,
            AuditLog audit,
            ApplicationEventPublisher events,
            LastChange lastChange) {
        this.configurations = configurations;
        this.plans = plans;
        this.audit = audit;
        this.events = events;
        this.lastChange = lastChange;
    }

    /** The flag's configuration as the plan's step sees it. */
    ConfigurationView configuration(RolloutPlan plan) {
        return configurations.get(plan.project(), plan.environment(), plan.flag());
    }

    /** Puts the configuration at {@code stage} (-1: nobody exposed by the plan); returns its new version. */
    @Transactional(propagation = Propagation.MANDATORY)
    long moveTo(RolloutPlan plan, ConfigurationView current, int stage, String comment) {
        return configurations
                .update(
                        Actor.system(plan.actor()),
                        plan.project(),
                        plan.environment(),
                        plan.flag(),
                        current.version(),
                        StagePlacement.apply(current, plan, stage),
                        comment)
                .version();
    }

    /** Kills the flag as {@code plan:<id>}; returns the configuration's new version. */
    @Transactional(propagation = Propagation.MANDATORY)
    long kill(RolloutPlan plan, String comment) {
        return configurations
                .kill(Actor.system(plan.actor()), plan.project(), plan.environment(), plan.flag(), comment)
                .version();
    }

    /**
     * Saves {@code after} and records the step from {@code before}: history row, audit entry (as {@code actor}),
     * event.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    PlanTransition record(
            RolloutPlan before,
            RolloutPlan after,
            PlanTransition.Kind kind,
            Actor actor,
            String reason,
            Long configurationVersion,
            Evidence evidence,
            Instant at) {
        plans.saveState(after, at);
        int to = after.currentStage();
        PlanTransition transition = new PlanTransition(
                after.id(),
                after.project(),
                after.environment(),
                after.flag(),
                after.ownerTeam(),
                kind,
                before.currentStage(),
                to,
                to < 0 ? null : after.stage(to).name(),
                after.status(),
                actor.name(),
                reason,
                configurationVersion,
                at,
                evidence);
        plans.insertTransition(transition);
        audit.record(
                actor,
                kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                new AuditTarget(
                        "rollout-plan", String.valueOf(after.id()), after.project(), after.environment(), after.flag()),
                AuditedState.of(before),
                AuditedState.of(after),
                reason);
        events.publishEvent(transition);
        log.info(
                "rollout plan {} of flag '{}' in {}/{}: {} {} → {} ({}): {}",
                after.id(),
                after.flag(),
                after.project(),
                after.environment(),
                kind,
                before.currentStage(),
                to,
                after.status(),
                reason);
        return transition;
    }

    /**
     * Completes a plan whose step just applied a stage at 100 %: everyone has the treatment, no control is left to
     * compare with, so there is nothing more to watch or wait for.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void completeIfEveryone(RolloutPlan moved, Actor actor, Instant at) {
        int stage = moved.currentStage();
        if (!StagePlacement.shipsToEveryone(moved, stage)) {
            return;
        }
        String reason = "completed: " + moved.describe(stage)
                + " serves the treatment to everyone, so no control is left to compare with";
        RolloutPlan done =
                moved.with(PlanStatus.COMPLETED, stage, moved.stageStartedAt(), moved.approvedStages(), false, reason);
        record(moved, done, PlanTransition.Kind.COMPLETED, actor, reason, null, null, at);
    }

    /** Who changed the flag's configuration last (to name who edited it by hand). */
    String lastEditor(RolloutPlan plan) {
        return lastChange.actorOf(AuditTarget.flagConfiguration(plan.project(), plan.environment(), plan.flag()));
    }
}
