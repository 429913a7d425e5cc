package dev.dimmer.server.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed console sign-ins per username and per client address, in PostgreSQL so that every
 * replica shares the count (an attacker spreading guesses over replicas gains nothing). A subject
 * with too many failures within the window is locked for the lockout time; while locked, sign-ins
 * are refused before any password is checked. After a lockout the count starts again.
 */
@Component
public class SignInThrottle {

    /** Usernames are keys of at most 128 characters; a longer one cannot exist and is cut for the subject. */
    private static final int MAX_SUBJECT_USERNAME = 128;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SignInProperties properties;

    SignInThrottle(JdbcTemplate jdbc, Clock clock, SignInProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Why sign-ins are refused right now, and for how long. */
    public record Lock(Kind kind, Duration retryAfter) {}

    public enum Kind {
        USER,
        ADDRESS
    }

    /** The lock that refuses a sign-in as {@code username} from {@code address} now, if any (address first). */
    @Transactional(readOnly = true)
    public Optional<Lock> lockOf(String username, String address) {
        Instant now = clock.instant();
        return lockedUntil(addressSubject(address), now)
                .map(until -> new Lock(Kind.ADDRESS, Duration.between(now, until)))
                .or(() -> lockedUntil(userSubject(username), now)
                        .map(until -> new Lock(Kind.USER, Duration.between(now, until))));
    }

    /** Counts a failed sign-in against both the username and the address; committed even if the caller rolls back. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void failed(String username, String address) {
        Instant now = clock.instant();
        fail(userSubject(username), properties.maxFailuresPerUser(), now);
        fail(addressSubject(address), properties.maxFailuresPerAddress(), now);
    }

    /** A successful sign-in (or an admin's password reset) clears the username's failures, not the address's. */
    @Transactional
    public void clear(String username) {
        jdbc.update("DELETE FROM sign_in_throttles WHERE subject = ?", userSubject(username));
    }

    /** Forgets failures whose window is over and locks that have ended; any replica may run it. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void forgetOldFailures() {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                "DELETE FROM sign_in_throttles WHERE window_started_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                Timestamp.from(clock.instant().minus(properties.window())),
                now);
    }

    private Optional<Instant> lockedUntil(String subject, Instant now) {
        return jdbc
                .query(
                        "SELECT locked_until FROM sign_in_throttles WHERE subject = ? AND locked_until > ?",
                        (rs, i) -> rs.getTimestamp(1).toInstant(),
                        subject,
                        Timestamp.from(now))
                .stream()
                .findFirst();
    }

    private void fail(String subject, int maxFailures, Instant now) {
        jdbc.update(
                "INSERT INTO sign_in_throttles (subject, failures, window_started_at) VALUES (?, 0, ?)"
                        + " ON CONFLICT (subject) DO NOTHING",
                subject,
                Timestamp.from(now));
        record Row(int failures, Instant windowStartedAt, Instant lockedUntil) {}
        Row row = jdbc.queryForObject(
                "SELECT failures, window_started_at, locked_until FROM sign_in_throttles WHERE subject = ? FOR UPDATE",
                (rs, i) -> new Row(
                        rs.getInt(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()),
                subject);
        boolean fresh = !row.windowStartedAt().plus(properties.window()).isAfter(now)
                || (row.lockedUntil() != null && !row.lockedUntil().isAfter(now));
        int failures = (fresh ? 0 : row.failures()) + 1;
        Instant windowStartedAt = fresh ? now : row.windowStartedAt();
        Instant lockedUntil = null;
        if (failures >= maxFailures) {
            lockedUntil = now.plus(properties.lockout());
            failures = 0;
            windowStartedAt = now;
        }
        jdbc.update(
                "UPDATE sign_in_throttles SET failures = ?, window_started_at = ?, locked_until = ? WHERE subject = ?",
                failures,
                Timestamp.from(windowStartedAt),
                lockedUntil == null ? null : Timestamp.from(lockedUntil),
                subject);
    }

    private static String userSubject(String username) {
        String name = username == null ? "" : username.toLowerCase(Locale.ROOT);
        return "user:" + (name.length() > MAX_SUBJECT_USERNAME ? name.substring(0, MAX_SUBJECT_USERNAME) : name);
    }

    private static String addressSubject(String address) {
        return "address:" + address;
    }
}
