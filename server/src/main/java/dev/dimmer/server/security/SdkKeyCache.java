package dev.dimmer.server.security;

import dev.dimmer.server.availability.DatabaseUnavailable;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Resolves SDK keys without a database round trip per request: the snapshot 304 path must
 * serve tens of thousands of requests a second. Entries (hits and misses) live for
 * {@code dimmer.sdk-keys.cache-seconds} (default 10), which bounds how long a revoked key keeps
 * working on a replica. Readers never lock; a stale entry is simply replaced.
 */
@Component
class SdkKeyCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<ApiKey> key, long expiresAtMillis) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Authenticator authenticator;
    private final Clock clock;
    private final long ttlMillis;

    SdkKeyCache(
            Authenticator authenticator, Clock clock, @Value("${dimmer.sdk-keys.cache-seconds:10}") long ttlSeconds) {
        this.authenticator = authenticator;
        this.clock = clock;
        this.ttlMillis = ttlSeconds * 1000;
    }

    Optional<ApiKey> find(String secret) {
        long now = clock.millis();
        Entry entry = entries.get(secret);
        if (entry == null || entry.expiresAtMillis() <= now) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear(); // a flood of random keys must not grow memory without bound
            }
            Entry previous = entry;
            try {
                entry = new Entry(authenticator.activeKey(secret), now + ttlMillis);
            } catch (RuntimeException e) {
                if (previous == null || !DatabaseUnavailable.isCause(e)) {
                    throw e;
                }
                // The database is away: keep answering with what it said last, so SDKs go on getting their
                // snapshot from memory (docs/security.md "Database outage"). A revocation waits for it to return.
                entry = new Entry(previous.key(), now + ttlMillis);
            }
            entries.put(secret, entry);
        }
        return entry.key();
    }
}
