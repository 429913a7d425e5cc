package dev.dimmer.server.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A stored rollout plan with the keys of the flag, environment and project it belongs to. */
record RolloutPlan(
        long id,
        long flagId,
        long environmentId,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        String treatment,
        String control,
        List<Stage> stages,
        BreachAction onBreach,
        boolean requireNonInferiority,
        PlanStatus status,
        int currentStage,
        Instant stageStartedAt,
        Set<Integer> approvedStages,
        boolean awaitingApproval,
        String statusReason,
        long version,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    RolloutPlan {
        stages = List.copyOf(stages);
        approvedStages = Set.copyOf(approvedStages);
    }

    /** The actor the plan's own changes are audited as. */
    String actor() {
        return "plan:" + id;
    }

    /** The stage at {@code index}, or null for -1 (nobody exposed by the plan). */
    Stage stage(int index) {
        return index < 0 ? null : stages.get(index);
    }

    boolean isLast(int index) {
        return index == stages.size() - 1;
    }

    /** "stage 3/6 '5%'", or what -1 means. */
    String describe(int index) {
        return index < 0
                ? "no stage (the plan exposes nobody)"
                : "stage " + (index + 1) + "/" + stages.size() + " '"
                        + stages.get(index).name() + "'";
    }

    /** The same plan in another state (what a step or a person's action changes). */
    RolloutPlan with(
            PlanStatus newStatus,
            int newStage,
            Instant newStageStartedAt,
            Set<Integer> newApprovals,
            boolean newAwaitingApproval,
            String newReason) {
        return new RolloutPlan(
                id,
                flagId,
                environmentId,
                project,
                environment,
                flag,
                ownerTeam,
                treatment,
                control,
                stages,
                onBreach,
                requireNonInferiority,
                newStatus,
                newStage,
                newStageStartedAt,
                newApprovals,
                newAwaitingApproval,
                newReason,
                version,
                createdBy,
                createdAt,
                updatedAt);
    }
}
