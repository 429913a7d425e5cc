package dev.dimmer.server.security;

import java.util.Locale;

/** What a person or admin token may do: admins everything, editors change their projects, viewers read. */
public enum Role {
    ADMIN,
    EDITOR,
    VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
