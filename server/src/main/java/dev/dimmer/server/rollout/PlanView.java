package dev.dimmer.server.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A rollout plan as the API shows it: its definition, where it is, what it waits for, and its history.
 *
 * @param currentStage the stage the configuration is at (-1: before the first stage, or rolled back from it)
 * @param gate what the plan's next check would decide now (null unless active, paused or halted)
 * @param version the plan's version, its ETag
 */
record PlanView(
        long id,
        String project,
        String environment,
        String flag,
        PlanStatus status,
        String statusReason,
        String treatment,
        String control,
        BreachAction onBreach,
        boolean requireNonInferiority,
        int currentStage,
        Instant stageStartedAt,
        boolean awaitingApproval,
        List<StageView> stages,
        Gate gate,
        long version,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        List<TransitionView> transitions) {

    /**
     * @param segments the segments this stage adds to the plan's rule (earlier stages' stay)
     * @param weight basis points of the default split served the treatment
     * @param approved a person approved entering it (only for stages that require approval)
     */
    record StageView(
            int index,
            String name,
            List<String> segments,
            int weight,
            String minDuration,
            long minSamplePerArm,
            boolean requiresApproval,
            boolean approved) {}

    /** @param state READY, WAIT, BREACH or SRM */
    record Gate(String state, String reason, Evidence evidence) {}

    record TransitionView(
            Instant at,
            String actor,
            PlanTransition.Kind kind,
            int fromStage,
            int toStage,
            String stageName,
            PlanStatus status,
            String reason,
            Long configurationVersion,
            Evidence evidence) {

        static TransitionView of(PlanTransition t) {
            return new TransitionView(
                    t.at(),
                    t.actor(),
                    t.kind(),
                    t.fromStage(),
                    t.toStage(),
                    t.stageName(),
                    t.status(),
                    t.reason(),
                    t.configurationVersion(),
                    t.evidence());
        }
    }
}
