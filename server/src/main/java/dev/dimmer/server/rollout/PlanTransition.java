package dev.dimmer.server.rollout;

import java.time.Instant;

/**
 * A step of a rollout plan, published as a Spring application event inside the transaction that made it (so a
 * listener that writes a notification to an outbox commits, or rolls back, with the step), and kept as the plan's
 * history ({@code GET …/plan}).
 *
 * @param kind what happened
 * @param fromStage the stage before the step (-1: before the first stage)
 * @param toStage the stage after it (-1: nobody exposed by the plan)
 * @param stageName the name of {@code toStage}, or null for -1
 * @param status the plan's status after the step
 * @param actor who made it: {@code plan:<id>} for the scheduler, else the person ({@code user:…}, {@code token:…})
 * @param reason a sentence a person reads: why, with the numbers
 * @param configurationVersion the flag configuration's version after the step, when the step changed it
 * @param evidence what the latest stored report said, when the step read one
 */
public record PlanTransition(
        long planId,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        Kind kind,
        int fromStage,
        int toStage,
        String stageName,
        PlanStatus status,
        String actor,
        String reason,
        Long configurationVersion,
        Instant at,
        Evidence evidence) {

    public enum Kind {
        /** A person started the plan: its first stage was applied. */
        STARTED,
        /** The scheduler moved to the next stage: gates met, guardrails healthy, no SRM. */
        ADVANCED,
        /** The next stage needs a person's approval; the plan waits (said once). */
        AWAITING_APPROVAL,
        APPROVED,
        PAUSED,
        RESUMED,
        /** A person moved ahead past the gates. */
        SKIPPED,
        /** The plan stopped without changing the configuration: SRM, a kill, a failed step. */
        HALTED,
        /** A guardrail was breached: the previous stage was applied and the plan halted. */
        ROLLED_BACK,
        /** A guardrail was breached: the flag was killed and the plan halted. */
        KILLED,
        COMPLETED,
        ABORTED
    }
}
