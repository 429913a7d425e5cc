package dev.dimmer.server.security;

import java.util.Locale;

/**
 * What a person or admin token may do: admins everything, editors change their projects, viewers
 * read their projects. {@code metrics} is for machines only (an admin token for Prometheus): it
 * reads {@code /actuator} metrics and health details and opens nothing else.
 */
public enum Role {
    ADMIN,
    EDITOR,
    VIEWER,
    METRICS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}, …). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Roles that open the admin API ({@code /api/v1}); a metrics token does not. */
    public boolean opensAdminApi() {
        return this != METRICS;
    }

    public static Role fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
