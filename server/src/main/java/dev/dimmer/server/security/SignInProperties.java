package dev.dimmer.server.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Console sign-in throttling ({@code dimmer.sign-in.*}); see docs/security.md.
 *
 * @param maxFailuresPerUser failed sign-ins for one username within {@code window} before that
 *     username is locked for {@code lockout} (423); counted for unknown usernames too
 * @param maxFailuresPerAddress failed sign-ins from one client address within {@code window}
 *     before that address is refused for {@code lockout} (429)
 * @param window how long failures are remembered
 * @param lockout how long a locked username or address is refused
 */
@ConfigurationProperties("dimmer.sign-in")
record SignInProperties(Integer maxFailuresPerUser, Integer maxFailuresPerAddress, Duration window, Duration lockout) {

    SignInProperties {
        maxFailuresPerUser = maxFailuresPerUser == null ? 5 : maxFailuresPerUser;
        maxFailuresPerAddress = maxFailuresPerAddress == null ? 20 : maxFailuresPerAddress;
        window = window == null ? Duration.ofMinutes(15) : window;
        lockout = lockout == null ? Duration.ofMinutes(15) : lockout;
    }
}
