package dev.dimmer.server.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits and knobs of ingestion ({@code dimmer.ingest.*}); see docs/ingestion.md.
 *
 * @param maxItems items per batch; more is a 413
 * @param maxBytes request body bytes (after decompression); more is a 413
 * @param maxConcurrentBatches batches parsed and written at once (after their body was read); the rest wait up to
 *     {@code acquireTimeout}, then get 429
 * @param maxConcurrentPerKey ingest requests of one SDK key in progress at once, body reading included; more get 429
 * @param bodyTimeout how long a whole request body may take to arrive; slower is a 408
 * @param acquireTimeout how long a batch waits for a slot before 429
 * @param retryAfterSeconds the {@code Retry-After} of a 429
 * @param maxAge oldest accepted item time (relative to now)
 * @param maxFutureSkew latest accepted item time (relative to now)
 * @param retentionDays whole days of impressions and events kept; older partitions are dropped
 * @param partitionsAhead days of partitions created ahead of today
 */
@ConfigurationProperties("dimmer.ingest")
record IngestProperties(
        Integer maxItems,
        Long maxBytes,
        Integer maxConcurrentBatches,
        Integer maxConcurrentPerKey,
        Duration bodyTimeout,
        Duration acquireTimeout,
        Integer retryAfterSeconds,
        Duration maxAge,
        Duration maxFutureSkew,
        Integer retentionDays,
        Integer partitionsAhead) {

    IngestProperties {
        maxItems = maxItems == null ? 10_000 : maxItems;
        maxBytes = maxBytes == null ? 5L * 1024 * 1024 : maxBytes;
        maxConcurrentBatches = maxConcurrentBatches == null ? 4 : maxConcurrentBatches;
        maxConcurrentPerKey = maxConcurrentPerKey == null ? 16 : maxConcurrentPerKey;
        bodyTimeout = bodyTimeout == null ? Duration.ofSeconds(10) : bodyTimeout;
        acquireTimeout = acquireTimeout == null ? Duration.ofMillis(250) : acquireTimeout;
        retryAfterSeconds = retryAfterSeconds == null ? 1 : retryAfterSeconds;
        maxAge = maxAge == null ? Duration.ofDays(30) : maxAge;
        maxFutureSkew = maxFutureSkew == null ? Duration.ofHours(1) : maxFutureSkew;
        retentionDays = retentionDays == null ? 90 : retentionDays;
        partitionsAhead = partitionsAhead == null ? 2 : partitionsAhead;
    }

    /** Days of partitions kept behind today so that every acceptable item has one. */
    int partitionsBehind() {
        return (int) Math.min(retentionDays, maxAge.toDays() + 1);
    }
}
