package dev.dimmer.server.sdkapi;

import dev.dimmer.server.availability.DatabaseOutage;
import dev.dimmer.server.availability.DatabaseUnavailable;
import dev.dimmer.server.security.SdkCaller;
import dev.dimmer.server.targeting.ETags;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The SDK protocol's read side (DESIGN §4): the environment's snapshot and its change stream. */
@RestController
@RequestMapping("/api/sdk/v1")
class SdkController {

    private final ChangeFeed feed;
    private final SnapshotCache snapshots;
    private final StreamHub streams;
    private final DatabaseOutage outage;

    SdkController(ChangeFeed feed, SnapshotCache snapshots, StreamHub streams, DatabaseOutage outage) {
        this.feed = feed;
        this.snapshots = snapshots;
        this.streams = streams;
        this.outage = outage;
    }

    /**
     * The environment's current change number. While the change feed is down it comes from the database; when the
     * database cannot be reached either, from the snapshot this replica last built: nobody can commit a change
     * while the database is away, so that snapshot is still the newest (short of a change committed on another
     * replica in the moment the feed went down). During the outage the database is not even tried for
     * {@code Retry-After} seconds at a time, so SDK requests do not each wait for the pool's timeout.
     */
    private long current(long environmentId) {
        SnapshotCache.Serialized remembered = snapshots.remembered(environmentId);
        if (remembered != null && !feed.isHealthy() && outage.recentlyUnavailable()) {
            return remembered.changeNumber();
        }
        try {
            return feed.current(environmentId);
        } catch (RuntimeException e) {
            if (remembered == null || !DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            outage.failed(e);
            return remembered.changeNumber();
        }
    }

    /**
     * The snapshot, {@code ETag: "<changeNumber>"}. An SDK that already has the current number
     * gets a bodiless 304 answered from memory; gzip is precomputed, never done per request.
     */
    @GetMapping("/snapshot")
    ResponseEntity<byte[]> snapshot(
            HttpServletRequest request,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(value = HttpHeaders.ACCEPT_ENCODING, required = false) String acceptEncoding) {
        long environmentId = SdkCaller.of(request).environmentId();
        long current = current(environmentId);
        Optional<Long> known = ETags.version(ifNoneMatch);
        if (known.isPresent() && known.get() >= current) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(ETags.of(current))
                    .cacheControl(CacheControl.noCache())
                    .build();
        }
        SnapshotCache.Serialized snapshot = snapshots.get(environmentId, current);
        boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .eTag(ETags.of(snapshot.changeNumber()))
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (gzip) {
            return response.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(snapshot.gzip());
        }
        return response.body(snapshot.json());
    }

    /**
     * Server-sent events, heartbeats in between. On a change: {@code changed} with the new change number, after
     * which the SDK fetches the snapshot; or, for an SDK that asks with {@code inline=snapshot}, {@code snapshot}
     * with the snapshot itself (the same JSON as {@code GET /snapshot}) when it is no larger than {@code
     * dimmer.sdk.stream.inline-max-bytes}, so that no request follows.
     */
    @GetMapping(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(HttpServletRequest request, @RequestParam(name = "inline", required = false) String inline) {
        long environmentId = SdkCaller.of(request).environmentId();
        return streams.open(environmentId, current(environmentId), "snapshot".equals(inline));
    }
}
