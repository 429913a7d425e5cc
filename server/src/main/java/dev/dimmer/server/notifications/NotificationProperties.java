package dev.dimmer.server.notifications;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Delivery of notifications ({@code dimmer.notifications.*}); see docs/guardrails.md "On call" and docs/security.md.
 *
 * @param interval how often each replica's worker looks for due notifications
 * @param timeout how long one POST may take (connect and answer), so a hanging receiver cannot hold the worker
 * @param maxAttempts attempts before a notification is marked dead (1 = no retry)
 * @param initialBackoff the wait after the first failed attempt; doubled after each further one, with jitter
 * @param maxBackoff the longest wait between two attempts
 * @param maxResponseChars how much of a receiver's answer the delivery log keeps
 * @param batchSize at most this many notifications per pass of the worker (the rest wait for the next pass)
 * @param allowAddresses addresses or CIDR ranges a channel may point at although they are loopback, link-local or
 *     a cloud metadata service (refused by default: a channel URL must not reach into the server's own host or its
 *     cloud credentials); e.g. {@code 127.0.0.1} for a receiver on the same machine
 * @param publicUrl the console's address, for the links in notifications
 * @param retention how long sent and dead notifications (and their delivery log) are kept
 * @param secretsKey base64 of the 32-byte AES key that encrypts webhook secrets at rest; empty: a key generated at
 *     first start and kept in the database (docs/security.md)
 */
@ConfigurationProperties("dimmer.notifications")
record NotificationProperties(
        Duration interval,
        Duration timeout,
        Integer maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Integer maxResponseChars,
        Integer batchSize,
        List<String> allowAddresses,
        String publicUrl,
        Duration retention,
        String secretsKey) {

    NotificationProperties {
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        // 12: the 11 waits (10 s doubling to the 1 h cap, each at least half its step) add up to 1.7 h at the least,
        // so a receiver down for an hour still gets every notification when it returns (8 gave up after 11 minutes).
        maxAttempts = maxAttempts == null ? 12 : Math.max(1, maxAttempts);
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(10) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofHours(1) : maxBackoff;
        maxResponseChars = maxResponseChars == null ? 2000 : maxResponseChars;
        batchSize = batchSize == null ? 100 : Math.max(1, batchSize);
        allowAddresses = allowAddresses == null
                ? List.of()
                : allowAddresses.stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        retention = retention == null ? Duration.ofDays(30) : retention;
        secretsKey = secretsKey == null ? "" : secretsKey.trim();
    }
}
