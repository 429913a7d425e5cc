package dev.dimmer.server.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the stored analysis said about a flag when a plan acted (or waited): the numbers a notification quotes.
 *
 * @param analysisRunId the stored run read (analysis_runs.id)
 * @param reportComputedAt when that report was computed
 * @param srmStatus OK, MISMATCH or NOT_ENOUGH_DATA
 * @param srmPValue the sample-ratio test's p-value (null when skipped)
 * @param usersPerArm users per treatment in the report
 * @param guardrails each guardrail metric's reading for the plan's treatment against the control
 */
public record Evidence(
        long analysisRunId,
        Instant reportComputedAt,
        String srmStatus,
        Double srmPValue,
        Map<String, Long> usersPerArm,
        List<Guardrail> guardrails) {

    public Evidence {
        usersPerArm = Map.copyOf(usersPerArm);
        guardrails = List.copyOf(guardrails);
    }

    /**
     * One guardrail metric for the plan's treatment, with the numbers its status was decided on: the absolute
     * difference of the means and its always-valid interval (DESIGN §5).
     *
     * @param status HEALTHY, AT_RISK, BREACHED, SEVERE or NOT_ENOUGH_DATA
     * @param relativeLift treatment vs control (0.1 = +10 %), null when it cannot be computed
     * @param difference treatment mean − control mean
     * @param lower lower end of the always-valid 95 % interval of the difference
     * @param upper upper end of that interval
     * @param summary the report's sentence for it
     */
    public record Guardrail(
            String metric,
            String status,
            Double controlMean,
            Double treatmentMean,
            Double relativeLift,
            Double difference,
            Double lower,
            Double upper,
            long controlUsers,
            long treatmentUsers,
            String summary) {

        boolean breached() {
            return "BREACHED".equals(status) || "SEVERE".equals(status);
        }
    }

    boolean srmMismatch() {
        return "MISMATCH".equals(srmStatus);
    }

    long users(String treatment) {
        return usersPerArm.getOrDefault(treatment, 0L);
    }
}
