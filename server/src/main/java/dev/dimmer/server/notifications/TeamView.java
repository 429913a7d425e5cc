package dev.dimmer.server.notifications;

import java.time.Instant;
import java.util.List;

/** A team with its channels. */
record TeamView(String key, String name, Instant createdAt, Instant updatedAt, List<ChannelView> channels) {

    /** What the audit log keeps of a team. */
    record Audited(String key, String name) {}
}
