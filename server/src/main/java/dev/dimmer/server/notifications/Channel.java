package dev.dimmer.server.notifications;

import java.time.Instant;

/**
 * Where a team's (or, with {@code teamId} null, a project's default) notifications go.
 *
 * @param sealedSecret the webhook secret as {@link SecretBox} stores it; null for Slack channels
 */
record Channel(
        long id,
        long projectId,
        Long teamId,
        String teamKey,
        String key,
        String name,
        ChannelKind kind,
        String url,
        String sealedSecret,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    /** How the channel is named in the audit log and the outbox: {@code <team>/<key>}, or {@code default/<key>}. */
    String qualifiedKey() {
        return (teamKey == null ? "default" : teamKey) + "/" + key;
    }
}
