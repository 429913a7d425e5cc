package dev.dimmer.server.security;

import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Checks a console sign-in: throttled per username and per client address ({@link SignInThrottle}),
 * and answered in the same time whether the username exists, is disabled, or the password is
 * wrong ({@link Passwords#matches}), with the same message, so neither timing nor text tells which.
 */
@Service
public class SignIn {

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    /** What a name that cannot be a username is counted as: it cannot sign in either. */
    private static final String NOT_A_USERNAME = "(not a username)";

    private final UserRepository users;
    private final Passwords passwords;
    private final SignInThrottle throttle;

    SignIn(UserRepository users, Passwords passwords, SignInThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    /** A sign-in refused for a while: 429 for a client address, 423 for a username; with Retry-After. */
    public static final class Refused extends ApiException {

        private final long retryAfterSeconds;

        Refused(HttpStatus status, String title, String detail, Duration retryAfter) {
            super(status, title, detail);
            this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The user whose password this is; 401, 423 or 429 otherwise. */
    User check(String username, String password, String clientAddress) {
        String name = normalise(username);
        Optional<SignInThrottle.Lock> lock = throttle.lockOf(name, clientAddress);
        if (lock.isPresent()) {
            throw refused(lock.get());
        }
        Optional<User> user = name.equals(NOT_A_USERNAME) ? Optional.empty() : users.findByUsername(name);
        boolean matches = passwords.matches(password, user.orElse(null));
        if (!matches || user.get().isDisabled()) {
            throttle.failed(name, clientAddress);
            log.info("failed console sign-in as '{}' from {}", name, clientAddress);
            throw ApiException.unauthorized("unknown user or wrong password");
        }
        throttle.clear(name);
        log.info("console sign-in as '{}' from {}", name, clientAddress);
        return user.get();
    }

    /**
     * Checks the signed-in user's current password before they change it: a wrong one counts as a
     * failed sign-in (a stolen session must not become a way to guess the password).
     */
    public void checkCurrentPassword(User user, String password, String clientAddress) {
        Optional<SignInThrottle.Lock> lock = throttle.lockOf(user.getUsername(), clientAddress);
        if (lock.isPresent()) {
            throw refused(lock.get());
        }
        if (!passwords.matches(password, user)) {
            throttle.failed(user.getUsername(), clientAddress);
            throw ApiException.invalid("/currentPassword", "is not your current password");
        }
    }

    private static Refused refused(SignInThrottle.Lock lock) {
        return lock.kind() == SignInThrottle.Kind.ADDRESS
                ? new Refused(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Too many sign-in attempts",
                        "too many failed sign-ins from this address; try again later",
                        lock.retryAfter())
                : new Refused(
                        HttpStatus.LOCKED,
                        "Sign-in locked",
                        "too many failed sign-ins for this username; it is locked for a while",
                        lock.retryAfter());
    }

    private static String normalise(String username) {
        if (username == null) {
            return NOT_A_USERNAME;
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        return Violations.KEY.matcher(name).matches() ? name : NOT_A_USERNAME;
    }
}
