package dev.dimmer.server.alerts;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds {@link AlertView}s. */
final class AlertViews {

    private AlertViews() {}

    static AlertView of(Subject subject, Alert a, JsonMapper json) {
        return of(subject.project(), subject.environment(), subject.flag(), subject.ownerTeam(), a, json);
    }

    static AlertView of(String project, String environment, String flag, String ownerTeam, Alert a, JsonMapper json) {
        return new AlertView(
                a.getId(),
                project,
                environment,
                flag,
                ownerTeam,
                a.getKind().name(),
                a.getMetric().isEmpty() ? null : a.getMetric(),
                a.getStatus().name(),
                a.getSeverity(),
                a.getTreatment(),
                a.getEffect(),
                a.getCiLower(),
                a.getCiUpper(),
                a.getPValue(),
                users(a, json),
                a.getSummary(),
                a.getAction(),
                a.getActionAt(),
                a.getActionBy(),
                a.getClearCycles(),
                a.getOpenedAt(),
                a.getUpdatedAt(),
                a.getAcknowledgedAt(),
                a.getAcknowledgedBy(),
                a.getResolvedAt(),
                a.getResolvedBy(),
                a.getComment());
    }

    static Map<String, Long> users(Alert a, JsonMapper json) {
        if (a.getUsersPerArm() == null || a.getUsersPerArm().isBlank()) {
            return Map.of();
        }
        return json.readValue(a.getUsersPerArm(), new TypeReference<LinkedHashMap<String, Long>>() {});
    }
}
