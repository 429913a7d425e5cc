package dev.dimmer.server.targeting;

import java.util.Optional;

/** Versions as strong ETags: {@code "7"}. */
public final class ETags {

    private ETags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The version an {@code If-Match}/{@code If-None-Match} value names, if it names exactly one. */
    public static Optional<Long> version(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
