package dev.dimmer.server.rollout;

import dev.dimmer.server.rollout.PlanTransition.Kind;
import dev.dimmer.server.rollout.StageGate.Assessment;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.targeting.ConfigurationView;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One check of one active plan, in one transaction: claim the plan's row ({@code FOR UPDATE SKIP LOCKED}, so another
 * replica checking the same plan passes it by), read the flag's configuration and latest stored report, and make at
 * most one step. A crash anywhere before the commit leaves the plan, the configuration, the audit log and the history
 * exactly as they were; the next check starts over from the stored state.
 */
@Component
class PlanStepper {

    /** What one check did. */
    enum Outcome {
        /** Another replica (or a person's action) holds the plan, or it is no longer active. */
        SKIPPED,
        /** Checked; nothing to do yet. */
        WAITING,
        /** Made a step (advanced, halted, rolled back, killed, paused, completed, or asked for approval). */
        STEPPED
    }

    private final PlanRepository plans;
    private final PlanChanges changes;
    private final EvidenceReader reports;
    private final Clock clock;

    PlanStepper(PlanRepository plans, PlanChanges changes, EvidenceReader reports, Clock clock) {
        this.plans = plans;
        this.changes = changes;
        this.reports = reports;
        this.clock = clock;
    }

    @Transactional
    public Outcome step(long planId) {
        Optional<RolloutPlan> claimed = plans.claim(planId);
        if (claimed.isEmpty()) {
            return Outcome.SKIPPED;
        }
        RolloutPlan plan = claimed.get();
        Actor self = Actor.system(plan.actor());
        Instant now = clock.instant();
        int stage = plan.currentStage();
        ConfigurationView configuration = changes.configuration(plan);

        if (configuration.killed()) {
            String reason = "the flag was killed (by " + changes.lastEditor(plan) + "); restore it and resume the plan";
            changes.record(plan, halted(plan, reason), Kind.HALTED, self, reason, null, null, now);
            return Outcome.STEPPED;
        }
        Optional<String> edited = StagePlacement.divergence(configuration, plan, stage);
        if (edited.isPresent()) {
            String reason = "the configuration was changed outside the plan (" + edited.get() + ", version "
                    + configuration.version() + ", last change by " + changes.lastEditor(plan)
                    + "); the plan does not overwrite a person's change: resume it to re-apply "
                    + plan.describe(stage) + ", or abort it";
            RolloutPlan paused =
                    plan.with(PlanStatus.PAUSED, stage, plan.stageStartedAt(), plan.approvedStages(), false, reason);
            changes.record(plan, paused, Kind.PAUSED, self, reason, null, null, now);
            return Outcome.STEPPED;
        }

        Assessment gate =
                StageGate.assess(plan, now, reports.latest(plan.environmentId(), plan.flagId(), plan.treatment()));
        switch (gate.state()) {
            case BREACH -> {
                return breach(plan, configuration, gate, now);
            }
            case SRM -> {
                String reason = "halted: " + gate.reason();
                changes.record(plan, halted(plan, reason), Kind.HALTED, self, reason, null, gate.evidence(), now);
                return Outcome.STEPPED;
            }
            case WAIT -> {
                return Outcome.WAITING;
            }
            case READY -> {
                return advance(plan, configuration, gate, now);
            }
        }
        throw new IllegalStateException(gate.state().name());
    }

    private Outcome breach(RolloutPlan plan, ConfigurationView configuration, Assessment gate, Instant now) {
        Actor self = Actor.system(plan.actor());
        int stage = plan.currentStage();
        if (plan.onBreach() == BreachAction.KILL) {
            String reason = "killed the flag and halted at " + plan.describe(stage) + ": " + gate.reason()
                    + "; restore the flag (POST …/restore) when fixed";
            long version = changes.kill(plan, reason);
            changes.record(plan, halted(plan, reason), Kind.KILLED, self, reason, version, gate.evidence(), now);
            return Outcome.STEPPED;
        }
        int back = stage - 1;
        String reason = "rolled back from " + plan.describe(stage) + " to " + plan.describe(back) + " and halted: "
                + gate.reason();
        long version = changes.moveTo(plan, configuration, back, reason);
        // Stages above the one rolled back to must be approved again once a person resumes.
        Set<Integer> approvals =
                plan.approvedStages().stream().filter(s -> s <= back).collect(Collectors.toSet());
        RolloutPlan rolledBack = plan.with(PlanStatus.HALTED, back, now, approvals, false, reason);
        changes.record(plan, rolledBack, Kind.ROLLED_BACK, self, reason, version, gate.evidence(), now);
        return Outcome.STEPPED;
    }

    private Outcome advance(RolloutPlan plan, ConfigurationView configuration, Assessment gate, Instant now) {
        Actor self = Actor.system(plan.actor());
        int stage = plan.currentStage();
        if (plan.isLast(stage)) {
            String reason = "completed at " + plan.describe(stage) + ": " + gate.reason();
            RolloutPlan done =
                    plan.with(PlanStatus.COMPLETED, stage, plan.stageStartedAt(), plan.approvedStages(), false, reason);
            changes.record(plan, done, Kind.COMPLETED, self, reason, null, gate.evidence(), now);
            return Outcome.STEPPED;
        }
        int next = stage + 1;
        if (plan.stage(next).requiresApproval() && !plan.approvedStages().contains(next)) {
            if (plan.awaitingApproval()) {
                return Outcome.WAITING;
            }
            String reason = plan.describe(next) + " needs a person's approval (POST …/plan/approve); "
                    + plan.describe(stage) + " is ready: " + gate.reason();
            RolloutPlan waiting =
                    plan.with(PlanStatus.ACTIVE, stage, plan.stageStartedAt(), plan.approvedStages(), true, reason);
            changes.record(plan, waiting, Kind.AWAITING_APPROVAL, self, reason, null, gate.evidence(), now);
            return Outcome.STEPPED;
        }
        String reason = "advanced from " + plan.describe(stage) + " to " + plan.describe(next) + ": " + gate.reason();
        long version = changes.moveTo(plan, configuration, next, reason);
        RolloutPlan advanced = plan.with(PlanStatus.ACTIVE, next, now, plan.approvedStages(), false, reason);
        changes.record(plan, advanced, Kind.ADVANCED, self, reason, version, gate.evidence(), now);
        changes.completeIfEveryone(advanced, self, now);
        return Outcome.STEPPED;
    }

    /**
     * Halts a plan whose step failed for a reason retrying will not cure (a stage the configuration refuses, such as a
     * segment archived since the plan was defined), in a transaction of its own: the failed step rolled back.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void haltAfterFailure(long planId, String problem) {
        Optional<RolloutPlan> claimed = plans.claim(planId);
        if (claimed.isEmpty()) {
            return;
        }
        RolloutPlan plan = claimed.get();
        String reason = "halted: the next step failed: " + problem;
        changes.record(
                plan,
                halted(plan, reason),
                Kind.HALTED,
                Actor.system(plan.actor()),
                reason,
                null,
                null,
                clock.instant());
    }

    private static RolloutPlan halted(RolloutPlan plan, String reason) {
        return plan.with(
                PlanStatus.HALTED, plan.currentStage(), plan.stageStartedAt(), plan.approvedStages(), false, reason);
    }
}
