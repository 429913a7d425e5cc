package dev.dimmer.server.security;

import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Finds the key or token behind a bearer secret, and the {@link Actor} of a token or user. */
@Component
public class Authenticator {

    private final ApiKeyRepository keys;

    Authenticator(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /** The active key with this secret, if any (revoked keys authenticate nobody). */
    @Transactional(readOnly = true)
    public Optional<ApiKey> activeKey(String secret) {
        return keys.findBySecretHash(Secrets.hash(secret)).filter(key -> !key.isRevoked());
    }

    static Actor actorOf(ApiKey token) {
        return new Actor("token:" + token.getName(), Role.fromWire(token.getRole()), Set.of(token.getProjects()));
    }

    public static Actor actorOf(User user) {
        return new Actor("user:" + user.getUsername(), user.getRole(), Set.of(user.getProjects()));
    }
}
