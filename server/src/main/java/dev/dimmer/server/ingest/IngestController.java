package dev.dimmer.server.ingest;

import dev.dimmer.server.ingest.BatchReader.Batch;
import dev.dimmer.server.ingest.IngestService.Result;
import dev.dimmer.server.security.SdkCaller;
import dev.dimmer.server.system.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/sdk/v1/impressions} and {@code /events} (DESIGN.md §4, docs/ingestion.md). Order matters: the
 * per-key bound is checked first, then the (compressed) body is read whole, bounded in bytes and time, and only
 * then is an ingest slot taken for parsing and writing, so a slow upload never holds a slot. The answer is 202 once
 * the batch is committed.
 */
@RestController
@RequestMapping("/api/sdk/v1")
class IngestController {

    private final IngestService ingest;
    private final IngestLimiter limiter;
    private final KeyConcurrency perKey;
    private final IngestProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    IngestController(
            IngestService ingest,
            IngestLimiter limiter,
            KeyConcurrency perKey,
            IngestProperties properties,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.ingest = ingest;
        this.limiter = limiter;
        this.perKey = perKey;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    @PostMapping("/impressions")
    ResponseEntity<?> impressions(HttpServletRequest request) throws IOException, SQLException {
        return ingest(request, BatchKind.IMPRESSIONS);
    }

    @PostMapping("/events")
    ResponseEntity<?> events(HttpServletRequest request) throws IOException, SQLException {
        return ingest(request, BatchKind.EVENTS);
    }

    private ResponseEntity<?> ingest(HttpServletRequest request, BatchKind kind) throws IOException, SQLException {
        SdkCaller caller = SdkCaller.of(request);
        long declared = request.getContentLengthLong();
        if (declared > properties.maxBytes()) {
            count(kind, "too_large");
            throw BatchReader.tooLarge("a batch body is at most " + properties.maxBytes() + " bytes");
        }
        if (!perKey.tryEnter(caller.keyId())) {
            count(kind, "shed_key");
            return overloaded();
        }
        try {
            byte[] raw;
            long readStarted = System.nanoTime();
            try {
                raw = BodyReader.read(
                        request.getInputStream(), declared, properties.maxBytes(), properties.bodyTimeout());
            } catch (ApiException e) {
                count(
                        kind,
                        switch (e.status().value()) {
                            case 408 -> "timeout";
                            case 413 -> "too_large";
                            default -> "aborted";
                        });
                throw e;
            }
            meters.timer("dimmer.ingest.receive", "kind", kind.wireName)
                    .record(System.nanoTime() - readStarted, TimeUnit.NANOSECONDS);
            if (!limiter.tryAcquire()) {
                count(kind, "shed");
                return overloaded();
            }
            try {
                return store(kind, caller, raw, request.getHeader(HttpHeaders.CONTENT_ENCODING));
            } finally {
                limiter.release();
            }
        } finally {
            perKey.exit(caller.keyId());
        }
    }

    private ResponseEntity<?> store(BatchKind kind, SdkCaller caller, byte[] raw, String contentEncoding)
            throws IOException, SQLException {
        InputStream body = new ByteArrayInputStream(raw);
        long sizeHint = raw.length;
        if ("gzip".equalsIgnoreCase(contentEncoding)) {
            body = new Limited(new GZIPInputStream(body, 8192), properties.maxBytes());
            sizeHint = 0; // the compressed length says little about the rows
        }
        Batch batch;
        long started = System.nanoTime();
        try {
            batch = new BatchReader(
                            json,
                            kind,
                            caller.environmentId(),
                            properties.maxItems(),
                            clock.instant(),
                            properties.maxAge(),
                            properties.maxFutureSkew())
                    .read(body, sizeHint);
        } catch (RuntimeException e) {
            count(kind, "refused");
            throw e;
        }
        long parsed = System.nanoTime();
        Result result;
        try {
            result = ingest.store(batch);
        } catch (ApiException e) {
            count(kind, "conflict");
            throw e;
        }
        meters.timer("dimmer.ingest.read", "kind", kind.wireName).record(parsed - started, TimeUnit.NANOSECONDS);
        meters.timer("dimmer.ingest.write", "kind", kind.wireName)
                .record(System.nanoTime() - parsed, TimeUnit.NANOSECONDS);
        count(kind, result.duplicate() ? "duplicate" : "stored");
        meters.counter("dimmer.ingest.items", "kind", kind.wireName, "outcome", "accepted")
                .increment(result.duplicate() ? 0 : result.accepted());
        meters.counter("dimmer.ingest.items", "kind", kind.wireName, "outcome", "rejected")
                .increment(result.rejected().size());
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(result);
    }

    private ResponseEntity<ProblemDetail> overloaded() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS, "the server is shedding load; retry after the given seconds");
        problem.setTitle("Too many requests");
        problem.setType(URI.create("about:blank"));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(properties.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private void count(BatchKind kind, String outcome) {
        meters.counter("dimmer.ingest.batches", "kind", kind.wireName, "outcome", outcome)
                .increment();
    }

    /** Counts bytes as they are read and fails with 413 past the limit, so no body is buffered unbounded. */
    static final class Limited extends FilterInputStream {

        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            read += n;
            if (read > limit) {
                throw BatchReader.tooLarge("a batch body is at most " + limit + " bytes");
            }
        }
    }
}
