package dev.dimmer.server.sdkapi;

import dev.dimmer.sdk.snapshot.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot of each environment, as read and as bytes (plain and gzipped), built once per
 * change number and then served as bytes: thousands of SDKs polling must not each cost a database read and a
 * JSON serialization.
 */
@Component
class SnapshotCache {

    record Serialized(Snapshot snapshot, long changeNumber, byte[] json, byte[] gzip) {}

    private final ConcurrentHashMap<Long, Serialized> byEnvironment = new ConcurrentHashMap<>();
    private final SnapshotAssembler assembler;
    private final JsonMapper json;

    SnapshotCache(SnapshotAssembler assembler, JsonMapper json) {
        this.assembler = assembler;
        this.json = json;
    }

    /** The last snapshot built for the environment, if any (served from memory while the database is away). */
    Serialized remembered(long environmentId) {
        return byEnvironment.get(environmentId);
    }

    /** The environment's snapshot at {@code changeNumber} or newer. */
    Serialized get(long environmentId, long changeNumber) {
        Serialized cached = byEnvironment.get(environmentId);
        if (cached != null && cached.changeNumber() >= changeNumber) {
            return cached;
        }
        // compute() serialises rebuilders of one environment: a burst after a change builds once.
        return byEnvironment.compute(environmentId, (id, current) -> {
            if (current != null && current.changeNumber() >= changeNumber) {
                return current;
            }
            Snapshot snapshot = assembler.assemble(id);
            byte[] plain = json.writeValueAsBytes(snapshot);
            return new Serialized(snapshot, snapshot.changeNumber(), plain, gzip(plain));
        });
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
