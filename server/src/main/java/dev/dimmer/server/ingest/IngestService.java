package dev.dimmer.server.ingest;

import dev.dimmer.server.ingest.BatchReader.Batch;
import dev.dimmer.server.ingest.Items.Exposure;
import dev.dimmer.server.ingest.Items.Sdk;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.InvalidField;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Writes one batch in one transaction: the batch id row first ({@code ON CONFLICT DO NOTHING}: if it already
 * existed the batch is a duplicate and nothing else is written), then the items with COPY, then (impressions) the
 * first-exposure upsert; then commit. The caller answers 202 only after this returns, so an acknowledged batch is
 * durable, and a crash before the commit leaves no trace of it, so the SDK's retry stores it exactly once.
 *
 * <p>Plain JDBC rather than JPA: COPY is pgjdbc's, and a batch is a few statements, not entities.
 */
@Service
class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** How often one SDK instance's {@code last_seen} is written at most. */
    private static final long SDK_TOUCH_INTERVAL_MILLIS = 60_000;

    static final String COPY_IMPRESSIONS = "COPY impressions (environment_id, flag, key, treatment, label,"
            + " change_number, time) FROM STDIN (FORMAT binary)";
    static final String COPY_EVENTS =
            "COPY events (environment_id, key, type, value, properties, time) FROM STDIN (FORMAT binary)";
    private static final String UPSERT_EXPOSURES = """
            INSERT INTO exposures AS x (environment_id, flag, key, treatment, first_seen, first_label)
            SELECT ?, u.f, u.k, u.t, u.s::timestamptz, u.l
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(f, k, t, s, l)
            ON CONFLICT (environment_id, flag, key, treatment) DO UPDATE
            SET first_seen = EXCLUDED.first_seen, first_label = EXCLUDED.first_label
            WHERE EXCLUDED.first_seen < x.first_seen
            """;

    /** The answer to a batch. */
    record Result(String batchId, boolean duplicate, int accepted, List<Items.Rejection> rejected) {}

    private final DataSource dataSource;
    private final PartitionMaintenance partitions;
    private final Clock clock;
    private final Map<String, Long> sdkTouched = new ConcurrentHashMap<>();

    IngestService(DataSource dataSource, PartitionMaintenance partitions, Clock clock) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.clock = clock;
    }

    Result store(Batch batch) throws SQLException {
        Result result;
        try {
            result = storeOnce(batch);
        } catch (SQLException e) {
            if (!isMissingPartition(e)) {
                throw e;
            }
            // A day without its partition (the job has not run since midnight): create and retry once.
            partitions.ensureDays(day(batch.earliest()), day(batch.latest()));
            result = storeOnce(batch);
        }
        touchSdk(batch.environmentId(), batch.sdk());
        return result;
    }

    private Result storeOnce(Batch batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                byte[] contentHash = contentHash(batch);
                Integer earlier = claimBatchId(c, batch, contentHash);
                if (earlier != null) {
                    c.rollback();
                    return new Result(batch.batchId(), true, earlier, batch.rejected());
                }
                if (batch.accepted() > 0) {
                    copy(c, batch.kind() == BatchKind.IMPRESSIONS ? COPY_IMPRESSIONS : COPY_EVENTS, batch.rows());
                }
                if (!batch.exposures().isEmpty()) {
                    upsertExposures(c, batch.environmentId(), batch.exposures());
                }
                c.commit();
                return new Result(batch.batchId(), false, batch.accepted(), batch.rejected());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Inserts the batch id with its content hash; null when this is the first time, else the accepted count of the
     * earlier delivery. The same id with other content is refused (409): answering "duplicate" would silently drop
     * the second batch's items while the SDK counts them as sent.
     */
    private static Integer claimBatchId(Connection c, Batch batch, byte[] contentHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected, content_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setLong(1, batch.environmentId());
            s.setString(2, batch.kind().wireName);
            s.setString(3, batch.batchId());
            s.setInt(4, batch.accepted());
            s.setInt(5, batch.rejected().size());
            s.setBytes(6, contentHash);
            if (s.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT accepted, content_hash FROM ingest_batches"
                + " WHERE environment_id = ? AND kind = ? AND batch_id = ?")) {
            s.setLong(1, batch.environmentId());
            s.setString(2, batch.kind().wireName);
            s.setString(3, batch.batchId());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return 0;
                }
                byte[] stored = r.getBytes(2);
                if (stored != null && !MessageDigest.isEqual(stored, contentHash)) {
                    throw new ApiException(
                            HttpStatus.CONFLICT,
                            "Conflict",
                            "batchId '" + batch.batchId() + "' was already stored with different content;"
                                    + " a batch id names one batch: resend the same items or use a new id",
                            List.of(new InvalidField("/batchId", "was already used for other content")));
                }
                return r.getInt(1);
            }
        }
    }

    /**
     * SHA-256 of what the batch means rather than its bytes: the binary COPY rows of its valid items (so JSON
     * whitespace, member order and gzip do not matter) and the index and pointer of each rejected item.
     */
    static byte[] contentHash(Batch batch) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        sha.update(batch.rows().buffer(), 0, batch.rows().size());
        for (Items.Rejection rejection : batch.rejected()) {
            sha.update((rejection.index() + ":" + rejection.pointer() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    static void copy(Connection c, String sql, CopyBinary rows) throws SQLException {
        copy(c, sql, rows.buffer(), rows.size());
    }

    /** COPY of the first {@code length} bytes of {@code data}, in the format {@code sql} names. */
    static void copy(Connection c, String sql, byte[] data, int length) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(data, 0, length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * First impression per (flag, key, treatment) of this batch, merged into {@code exposures}. Sorted, so that two
     * concurrent batches lock shared rows in the same order and cannot deadlock; the {@code WHERE} makes a later
     * impression of a known exposure a no-op instead of a row update.
     */
    private static void upsertExposures(Connection c, long environmentId, List<Exposure> impressions)
            throws SQLException {
        Map<List<String>, Exposure> first = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1))
                .thenComparing(k -> k.get(2)));
        for (Exposure i : impressions) {
            first.merge(
                    List.of(i.flag(), i.key(), i.treatment()),
                    i,
                    (a, b) -> b.time().isBefore(a.time()) ? b : a);
        }
        int n = first.size();
        String[] flags = new String[n];
        String[] keys = new String[n];
        String[] treatments = new String[n];
        String[] times = new String[n];
        String[] labels = new String[n];
        int j = 0;
        for (Exposure i : first.values()) {
            flags[j] = i.flag();
            keys[j] = i.key();
            treatments[j] = i.treatment();
            times[j] = i.time().toString();
            labels[j] = i.label();
            j++;
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT_EXPOSURES)) {
            s.setLong(1, environmentId);
            List<Array> arrays = new ArrayList<>();
            for (String[] column : List.of(flags, keys, treatments, times, labels)) {
                arrays.add(c.createArrayOf("text", column));
            }
            for (int k = 0; k < arrays.size(); k++) {
                s.setArray(k + 2, arrays.get(k));
            }
            s.executeUpdate();
        }
    }

    /** Records the SDK instance, at most once a minute per instance, outside the batch's transaction. */
    private void touchSdk(long environmentId, Sdk sdk) {
        if (sdk == null) {
            return;
        }
        String id = environmentId + "\u0000" + sdk.instanceId() + "\u0000" + sdk.name() + "\u0000" + sdk.version();
        long now = clock.millis();
        Long last = sdkTouched.get(id);
        if (last != null && now - last < SDK_TOUCH_INTERVAL_MILLIS) {
            return;
        }
        sdkTouched.put(id, now);
        if (sdkTouched.size() > 100_000) {
            sdkTouched.clear(); // bounded: forgetting only costs an extra write
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO sdk_instances (environment_id, name, version, instance_id) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (environment_id, instance_id, name, version)"
                                + " DO UPDATE SET last_seen = now()")) {
            s.setLong(1, environmentId);
            s.setString(2, sdk.name());
            s.setString(3, sdk.version());
            s.setString(4, sdk.instanceId());
            s.executeUpdate();
        } catch (SQLException e) {
            log.warn("could not record SDK instance {}: {}", sdk, e.getMessage());
        }
    }

    private static boolean isMissingPartition(SQLException e) {
        return "23514".equals(e.getSQLState())
                && e.getMessage() != null
                && e.getMessage().contains("no partition");
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
