package dev.dimmer.server.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, from the latest stored report, whether a plan may leave its current stage.
 *
 * <p>Only a report computed <em>after</em> the stage began speaks for the stage: an SRM in it halts the plan, and a
 * guardrail BREACHED or SEVERE for the plan's treatment is a breach. Leaving the stage further needs its minimum
 * duration to have passed and, when the stage asks for a sample (or the plan for non-inferiority), a report computed
 * after that minimum duration ended, with at least {@code minSamplePerArm} users in the treatment's arm (and in the
 * control's, while the split serves both) and, with {@code requireNonInferiority}, every guardrail HEALTHY.
 *
 * <p>"Healthy" is therefore by default "no guardrail significantly worse" — the always-valid interval of every
 * guardrail's change does not lie entirely on the bad side — as in LaunchDarkly's guarded rollouts and GrowthBook's
 * safe rollouts: at 1 % a guardrail is normally AT_RISK (not yet shown within its margin), and waiting for proof of
 * non-inferiority there would stall every ramp. Plans that want proof set {@code requireNonInferiority}.
 */
final class StageGate {

    enum State {
        /** A guardrail is significantly worse in a report computed during the stage. */
        BREACH,
        /** Sample-ratio mismatch in a report computed during the stage: the numbers cannot be trusted. */
        SRM,
        /** Nothing wrong, but the stage's conditions are not met yet. */
        WAIT,
        /** The plan may leave the stage. */
        READY
    }

    /**
     * @param reason a sentence a person reads: what is wrong, what the plan waits for, or why it may move on
     * @param evidence the report the decision read (the latest one when none is recent enough), if any
     */
    record Assessment(State state, String reason, Evidence evidence) {}

    private StageGate() {}

    static Assessment assess(RolloutPlan plan, Instant now, Optional<Evidence> latest) {
        int index = plan.currentStage();
        Evidence evidence = latest.orElse(null);
        if (index < 0 || plan.stageStartedAt() == null) {
            return new Assessment(State.READY, "no stage to wait for", evidence);
        }
        Stage stage = plan.stage(index);
        Instant started = plan.stageStartedAt();
        Optional<Evidence> duringStage = latest.filter(e -> e.reportComputedAt().isAfter(started));
        if (duringStage.isPresent()) {
            Evidence e = duringStage.get();
            if (e.srmMismatch()) {
                return new Assessment(
                        State.SRM,
                        "sample ratio mismatch in the report of " + e.reportComputedAt() + " (p = "
                                + format(e.srmPValue()) + "): the arms' sizes do not match the split, so no number in"
                                + " it can be trusted; look for users lost in one arm (crashes, redirects, late SDK"
                                + " start) before resuming",
                        e);
            }
            List<String> breached = new ArrayList<>();
            for (Evidence.Guardrail g : e.guardrails()) {
                if (g.breached()) {
                    breached.add(describe(g));
                }
            }
            if (!breached.isEmpty()) {
                return new Assessment(
                        State.BREACH,
                        "guardrail " + String.join("; ", breached) + " in the report of " + e.reportComputedAt(),
                        e);
            }
        }
        Instant minEnd = started.plus(stage.minDuration());
        if (now.isBefore(minEnd)) {
            return new Assessment(
                    State.WAIT, "minimum duration " + stage.minDuration() + ": until " + minEnd, evidence);
        }
        if (stage.minSamplePerArm() == 0 && !plan.requireNonInferiority()) {
            return new Assessment(State.READY, "minimum duration passed; no sample required", evidence);
        }
        Optional<Evidence> covering = latest.filter(e -> !e.reportComputedAt().isBefore(minEnd));
        if (covering.isEmpty()) {
            return new Assessment(
                    State.WAIT,
                    "waiting for a report computed after " + minEnd
                            + latest.map(e -> " (latest: " + e.reportComputedAt() + ")")
                                    .orElse(" (no report yet)"),
                    evidence);
        }
        Evidence e = covering.get();
        List<String> missing = new ArrayList<>();
        long n = stage.minSamplePerArm();
        if (e.users(plan.treatment()) < n) {
            missing.add(plan.treatment() + " " + e.users(plan.treatment()) + " of " + n);
        }
        if (stage.weight() > 0 && stage.weight() < 10_000 && e.users(plan.control()) < n) {
            missing.add(plan.control() + " " + e.users(plan.control()) + " of " + n);
        }
        if (!missing.isEmpty()) {
            return new Assessment(State.WAIT, "sample per arm: " + String.join(", ", missing), e);
        }
        if (plan.requireNonInferiority()) {
            List<String> unproven = e.guardrails().stream()
                    .filter(g -> !"HEALTHY".equals(g.status()))
                    .map(g -> g.metric() + " " + g.status())
                    .toList();
            if (!unproven.isEmpty()) {
                return new Assessment(
                        State.WAIT, "guardrails not yet shown non-inferior: " + String.join(", ", unproven), e);
            }
        }
        return new Assessment(
                State.READY,
                "minimum duration and sample reached, no guardrail breached, no sample ratio mismatch (report of "
                        + e.reportComputedAt() + ")",
                e);
    }

    /**
     * "errors SEVERE: 0.41 vs 0.02 per user (+1950.0%), difference +0.39 (always-valid 95% CI +0.30 to +0.48), 198 vs
     * 252 users" — the interval the status was decided on.
     */
    static String describe(Evidence.Guardrail g) {
        return g.metric() + " " + g.status() + ": " + number(g.treatmentMean()) + " vs " + number(g.controlMean())
                + " (" + percent(g.relativeLift()) + "), difference " + signed(g.difference())
                + " (always-valid 95% CI " + signed(g.lower()) + " to " + signed(g.upper()) + "), "
                + g.treatmentUsers() + " vs " + g.controlUsers() + " users";
    }

    private static String percent(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", value * 100);
    }

    private static String number(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4g", value);
    }

    private static String signed(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%+.4g", value);
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3g", value);
    }
}
