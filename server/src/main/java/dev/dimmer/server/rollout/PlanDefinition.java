package dev.dimmer.server.rollout;

import dev.dimmer.server.system.Violations;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A validated plan: which treatment it ramps against which control, its stages, and what it does on a breach.
 *
 * @param requireNonInferiority also wait until every guardrail is shown non-inferior (HEALTHY) before leaving a stage,
 *     not only for none to be breached
 */
record PlanDefinition(
        String treatment, String control, List<Stage> stages, BreachAction onBreach, boolean requireNonInferiority) {

    static final int MAX_STAGES = 50;

    /** The reports' minimum for a verdict (DESIGN §5): a stage with a percentage waits for it unless told otherwise. */
    static final long DEFAULT_MIN_SAMPLE = 100;

    static final Duration DEFAULT_MIN_DURATION = Duration.ofHours(1);

    private static final String NOTHING_TO_WAIT_FOR =
            "must be 0 at 100%: no control group is left to measure, the plan completes as it applies the stage";

    /** The body of {@code PUT …/plan}. */
    @Schema(name = "PlanRequest")
    record Request(
            String treatment,
            String control,
            String onBreach,
            Boolean requireNonInferiority,
            List<StageRequest> stages) {}

    /**
     * One stage as sent: {@code weight} = share of users served the treatment by the split, in basis points (100 =
     * 1 %; at most 5000, or 10000 for a last stage), {@code minDuration} ISO-8601 (default PT1H), {@code
     * minSamplePerArm} (default 100 with a weight, 0 for segments only and at 100 %).
     */
    record StageRequest(
            String name,
            List<String> segments,
            Integer weight,
            String minDuration,
            Long minSamplePerArm,
            Boolean requiresApproval) {}

    /**
     * Checks a request against the flag's treatments and the environment's segments; 400 naming every bad field.
     *
     * @param offTreatment the control when the request names none
     */
    static PlanDefinition of(Request r, List<String> treatments, String offTreatment, Set<String> segmentKeys) {
        Violations v = new Violations();
        if (r == null) {
            v.add("", "a plan is required").throwIfAny();
        }
        String treatment = r.treatment() != null ? r.treatment() : treatments.contains("on") ? "on" : null;
        String control = r.control() != null ? r.control() : offTreatment;
        if (treatment == null) {
            v.add("/treatment", "is required (the flag has no 'on' treatment); one of " + treatments);
        } else if (!treatments.contains(treatment)) {
            v.add("/treatment", "unknown treatment '" + treatment + "'; known: " + treatments);
        }
        if (!treatments.contains(control)) {
            v.add("/control", "unknown treatment '" + control + "'; known: " + treatments);
        } else if (control.equals(treatment)) {
            v.add("/control", "must differ from the treatment '" + treatment + "'");
        }
        BreachAction onBreach = BreachAction.ROLLBACK;
        if (r.onBreach() != null) {
            try {
                onBreach = BreachAction.valueOf(r.onBreach().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.add("/onBreach", "must be one of " + Arrays.toString(BreachAction.values()));
            }
        }
        List<Stage> stages = stages(r.stages(), segmentKeys, v);
        v.throwIfAny();
        return new PlanDefinition(treatment, control, stages, onBreach, Boolean.TRUE.equals(r.requireNonInferiority()));
    }

    private static List<Stage> stages(List<StageRequest> requests, Set<String> segmentKeys, Violations v) {
        if (requests == null || requests.isEmpty()) {
            v.add("/stages", "name at least one stage");
            return List.of();
        }
        if (requests.size() > MAX_STAGES) {
            v.add("/stages", "at most " + MAX_STAGES + " stages");
            return List.of();
        }
        List<Stage> stages = new ArrayList<>();
        Set<String> exposedSegments = new LinkedHashSet<>();
        int exposedWeight = 0;
        for (int i = 0; i < requests.size(); i++) {
            String at = "/stages/" + i;
            StageRequest s = requests.get(i);
            if (s == null) {
                v.add(at, "is required");
                continue;
            }
            List<String> segments = s.segments() == null ? List.of() : s.segments();
            Set<String> added = new LinkedHashSet<>();
            for (int j = 0; j < segments.size(); j++) {
                String key = segments.get(j);
                if (key == null || !segmentKeys.contains(key)) {
                    v.add(at + "/segments/" + j, "unknown segment '" + key + "' in this environment");
                } else if (!exposedSegments.contains(key)) {
                    added.add(key);
                }
            }
            int weight = s.weight() == null ? exposedWeight : s.weight();
            boolean everyone = weight == StagePlacement.EVERYONE;
            if (weight < 0 || (weight > StagePlacement.MAX_RANDOMISED_WEIGHT && !everyone)) {
                v.add(
                        at + "/weight",
                        "must be between 0 and 5000 basis points (100 = 1%), or 10000 for the last stage: up to 50%"
                                + " the treatment is compared with an equal, randomised control group; between 50% and"
                                + " 100% no even control is left");
            } else if (everyone && i != requests.size() - 1) {
                v.add(at + "/weight", "100% must be the last stage: after it, everyone has the treatment");
            } else if (weight < exposedWeight) {
                v.add(
                        at + "/weight",
                        "must not be lower than the previous stage's " + exposedWeight
                                + ": a ramp only adds users (roll back with a breach policy, not a stage)");
            } else if (weight == exposedWeight && added.isEmpty()) {
                v.add(
                        at,
                        "exposes no one new: raise the weight above " + exposedWeight
                                + " or add a segment not exposed before");
            }
            Duration minDuration = everyone ? Duration.ZERO : DEFAULT_MIN_DURATION;
            if (s.minDuration() != null) {
                try {
                    minDuration = Duration.parse(s.minDuration());
                    if (minDuration.isNegative()) {
                        v.add(at + "/minDuration", "must not be negative");
                    } else if (everyone && !minDuration.isZero()) {
                        v.add(at + "/minDuration", NOTHING_TO_WAIT_FOR);
                    }
                } catch (DateTimeParseException e) {
                    v.add(
                            at + "/minDuration",
                            "must be an ISO-8601 duration such as PT1H or P1D, was '" + s.minDuration() + "'");
                }
            }
            long minSample = s.minSamplePerArm() != null
                    ? s.minSamplePerArm()
                    : weight > 0 && !everyone ? DEFAULT_MIN_SAMPLE : 0;
            if (minSample < 0) {
                v.add(at + "/minSamplePerArm", "must not be negative");
            } else if (everyone && minSample > 0) {
                v.add(at + "/minSamplePerArm", NOTHING_TO_WAIT_FOR);
            } else if (weight == 0 && minSample > 0) {
                v.add(
                        at + "/minSamplePerArm",
                        "must be 0 for a stage with segments only: its users are not randomised, so the report has no"
                                + " arms to count for it (wait with minDuration, or give the stage a weight)");
            }
            String name = s.name() != null && !s.name().isBlank() ? s.name().strip() : defaultName(added, weight);
            v.maxLength(at + "/name", name, 200);
            exposedSegments.addAll(added);
            exposedWeight = Math.max(exposedWeight, Math.min(10_000, Math.max(0, weight)));
            stages.add(new Stage(
                    name,
                    List.copyOf(segments),
                    weight,
                    minDuration,
                    minSample,
                    Boolean.TRUE.equals(s.requiresApproval())));
        }
        return stages;
    }

    private static String defaultName(Set<String> addedSegments, int weight) {
        String percent = (weight % 100 == 0 ? String.valueOf(weight / 100) : String.valueOf(weight / 100.0)) + "%";
        if (addedSegments.isEmpty()) {
            return percent;
        }
        return String.join(" + ", addedSegments) + (weight > 0 ? " + " + percent : "");
    }
}
