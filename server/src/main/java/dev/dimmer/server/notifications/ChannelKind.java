package dev.dimmer.server.notifications;

import java.util.Locale;

/** How a channel carries a notice: signed JSON for machines, or Slack Block Kit text for people. */
enum ChannelKind {
    /** A generic webhook: the versioned JSON payload, signed with the channel's secret. */
    WEBHOOK,
    /** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat …): Block Kit blocks and a text fallback. */
    SLACK;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ChannelKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
