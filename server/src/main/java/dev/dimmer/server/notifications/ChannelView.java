package dev.dimmer.server.notifications;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;

/**
 * A channel as the API shows it. The URL of a Slack incoming webhook is itself a credential, so people who may only
 * read the project see the URL's origin, not its path. The webhook secret is never shown again after creation (or
 * rotation), when it is in {@code secret}.
 *
 * @param team the team's key, or null for one of the project's default channels
 * @param secret the webhook signing secret: only in the answer to creation and to a new secret
 */
record ChannelView(
        String key,
        String name,
        String kind,
        String url,
        boolean enabled,
        String team,
        boolean signed,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    static ChannelView of(Channel c, boolean showUrl, String secret) {
        return new ChannelView(
                c.key(),
                c.name(),
                c.kind().wireName(),
                showUrl ? c.url() : origin(c.url()),
                c.enabled(),
                c.teamKey(),
                c.sealedSecret() != null,
                c.createdAt(),
                c.updatedAt(),
                secret);
    }

    /** What the audit log keeps of a channel: never its secret, and not the path of its URL (a credential for Slack). */
    record Audited(String key, String name, String kind, String url, boolean enabled, String team) {

        static Audited of(Channel c) {
            return new Audited(c.key(), c.name(), c.kind().wireName(), origin(c.url()), c.enabled(), c.teamKey());
        }
    }

    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority() + "/…";
        } catch (IllegalArgumentException e) {
            return "…";
        }
    }
}
