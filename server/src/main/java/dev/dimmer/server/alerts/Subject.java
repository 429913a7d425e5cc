package dev.dimmer.server.alerts;

import java.time.Instant;

/**
 * A flag's configuration in one environment, with what alerts need to judge it and address its notices.
 *
 * @param ownerTeam the flag's owner team key ('' when none: the project's default channels)
 * @param served enabled, not killed and with a traffic allocation above 0: some users get the flag's treatments
 * @param configuredAt when the configuration last changed (a served flag's no-traffic clock starts no earlier)
 * @param policy what the flag's guardrails may do on their own
 */
record Subject(
        long projectId,
        String project,
        long environmentId,
        String environment,
        long flagId,
        String flag,
        String ownerTeam,
        boolean enabled,
        boolean killed,
        int trafficAllocation,
        Instant configuredAt,
        GuardrailPolicy policy) {

    boolean served() {
        return enabled && !killed && trafficAllocation > 0;
    }

    String configurationPath() {
        return "/api/v1/projects/" + project + "/environments/" + environment + "/flags/" + flag;
    }
}
