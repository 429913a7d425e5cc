package dev.dimmer.server.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * An alert as the API returns it.
 *
 * @param metric the guardrail metric's key; null for SRM and NO_TRAFFIC
 * @param severity BREACHED or SEVERE (guardrail), MISMATCH (SRM), SILENT (no traffic)
 * @param treatment the treatment the numbers are about (guardrail: the worst one against the control)
 * @param effect the latest difference of the metric, {@code treatment} − control, relative to the control mean
 *     (0.25 = +25 %; absolute when the control mean is 0)
 * @param ciLower lower end of the always-valid 95 % interval of {@code effect}
 * @param ciUpper upper end of it
 * @param pValue always-valid p, of the guardrail's difference or of the SRM test
 * @param action KILLED when the flag is killed in the environment while the alert is open, else null
 * @param actionAt when the flag was killed (may precede the alert: its rollout plan read the report first)
 * @param actionBy who killed it: {@code guardrail:<metric>} (the flag's guardrail policy KILL), {@code plan:<id>} (its
 *     rollout plan, onBreach KILL) or a person
 * @param clearCycles consecutive cycles the condition has been clear (resolves at {@code dimmer.alerts.clear-cycles})
 */
public record AlertView(
        long id,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        String kind,
        String metric,
        String status,
        String severity,
        String treatment,
        Double effect,
        Double ciLower,
        Double ciUpper,
        Double pValue,
        Map<String, Long> usersPerArm,
        String summary,
        String action,
        Instant actionAt,
        String actionBy,
        int clearCycles,
        Instant openedAt,
        Instant updatedAt,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant resolvedAt,
        String resolvedBy,
        String comment) {}
