package dev.dimmer.server.flags;

import dev.dimmer.sdk.snapshot.Treatment;
import java.time.Instant;
import java.util.List;

/** A flag as the API shows it. */
public record FlagView(
        String key,
        String description,
        String ownerTeam,
        String kind,
        List<Treatment> treatments,
        List<String> tags,
        boolean archived,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
