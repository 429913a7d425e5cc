package dev.dimmer.sdk;

import java.util.Set;

/**
 * A new snapshot replaced the previous one. {@code flagsChanged} holds the keys of flags added,
 * removed or changed (a segment change lists no flag but still notifies).
 */
public record ConfigurationChange(long previousChangeNumber, long changeNumber, Set<String> flagsChanged) {

    public ConfigurationChange {
        flagsChanged = Set.copyOf(flagsChanged);
    }
}
