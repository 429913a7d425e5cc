package dev.dimmer.sdk.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;

/**
 * Logs a failing condition once when it starts ("... failing since ...") and once when it ends
 * ("... recovered after N failures"), never once per failure. Thread-safe.
 */
public final class EpisodeLog {

    private static final Logger LOG = System.getLogger("dev.dimmer.sdk");

    private final String what;
    private final Clock clock;
    private Instant since;
    private int failures;

    public EpisodeLog(String what, Clock clock) {
        this.what = what;
        this.clock = clock;
    }

    public synchronized void failure(String cause) {
        failures++;
        if (since == null) {
            since = clock.instant();
            LOG.log(Level.WARNING, "Dimmer " + what + " failing since " + since + ": " + cause);
        }
    }

    public synchronized void success() {
        if (since != null) {
            LOG.log(
                    Level.INFO,
                    "Dimmer " + what + " recovered after " + failures + " failure(s) (failing since " + since + ")");
            since = null;
            failures = 0;
        }
    }

    public synchronized boolean failing() {
        return since != null;
    }

    public static void info(String message) {
        LOG.log(Level.INFO, message);
    }

    public static void warn(String message) {
        LOG.log(Level.WARNING, message);
    }
}
