package dev.dimmer.sdk.snapshot;

import java.util.List;

/** The flag is on for a key only if {@code flag} evaluates to one of {@code treatments} for it. */
public record Prerequisite(String flag, List<String> treatments) {

    public Prerequisite {
        treatments = treatments == null ? List.of() : List.copyOf(treatments);
    }
}
