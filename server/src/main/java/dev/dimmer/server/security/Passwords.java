package dev.dimmer.server.security;

import dev.dimmer.server.system.Violations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Console passwords: the policy for new ones, BCrypt hashing, and checks that cost the same
 * whether or not the user exists.
 *
 * <p>An unknown username is checked against a dummy hash made with the same encoder at start-up,
 * so answering "no such user" takes one BCrypt verification, exactly like "wrong password": the
 * time of a sign-in does not tell an attacker which usernames exist. Every verification is
 * counted ({@code dimmer.sign_in.password_checks}), which also lets a test see the work done.
 */
@Component
public class Passwords {

    public static final int MIN_LENGTH = 12;

    /** BCrypt reads at most 72 bytes; a longer password would silently be cut, so it is refused. */
    public static final int MAX_BYTES = 72;

    /** Longer sign-in attempts are refused without hashing them (after the same dummy work). */
    private static final int MAX_ATTEMPT_LENGTH = 1024;

    private final PasswordEncoder encoder;
    private final String dummyHash;
    private final Counter checks;

    Passwords(PasswordEncoder encoder, MeterRegistry meters) {
        this.encoder = encoder;
        this.dummyHash = encoder.encode("dummy password that matches no user " + System.nanoTime());
        this.checks = Counter.builder("dimmer.sign_in.password_checks")
                .description("BCrypt password verifications (sign-ins, including unknown users, and password changes)")
                .register(meters);
    }

    /** Adds a violation at {@code pointer} when {@code password} may not become a password. */
    public static void validateNew(Violations violations, String pointer, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            violations.add(pointer, "must be at least " + MIN_LENGTH + " characters");
        } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            violations.add(pointer, "must be at most " + MAX_BYTES + " bytes in UTF-8");
        }
    }

    /** The BCrypt hash to store for a password that passed {@link #validateNew}. */
    public String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether {@code password} is the user's; always one BCrypt verification, even for no user. */
    public boolean matches(String password, User user) {
        checks.increment();
        String hash = user == null ? dummyHash : user.getPasswordHash();
        boolean usable = password != null && !password.isEmpty() && password.length() <= MAX_ATTEMPT_LENGTH;
        boolean matches = encoder.matches(usable ? password : "-", hash);
        return usable && user != null && matches;
    }
}
