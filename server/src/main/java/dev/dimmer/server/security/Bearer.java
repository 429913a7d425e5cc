package dev.dimmer.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** Reads {@code Authorization: Bearer <secret>}. */
public final class Bearer {

    private static final String PREFIX = "Bearer ";

    private Bearer() {}

    public static Optional<String> secretOf(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String secret = header.substring(PREFIX.length()).trim();
        return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
    }
}
