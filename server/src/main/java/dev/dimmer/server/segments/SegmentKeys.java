package dev.dimmer.server.segments;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Bulk operations on a segment's explicit key list. One statement per batch with an array
 * parameter: adding 100 000 keys is one round trip, not 100 000.
 */
@Component
public class SegmentKeys {

    /** The default of {@code dimmer.limits.max-segment-keys} (system/Limits), which the services enforce. */
    public static final int MAX_KEYS = 100_000;

    private final JdbcTemplate jdbc;

    SegmentKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    int add(long segmentId, List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return jdbc.update(
                "INSERT INTO segment_keys (segment_id, key) SELECT ?, unnest(?::text[]) ON CONFLICT DO NOTHING",
                segmentId,
                keys.toArray(String[]::new));
    }

    int remove(long segmentId, List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return jdbc.update(
                "DELETE FROM segment_keys WHERE segment_id = ? AND key = ANY(?::text[])",
                segmentId,
                keys.toArray(String[]::new));
    }

    public int count(long segmentId) {
        Integer count =
                jdbc.queryForObject("SELECT count(*) FROM segment_keys WHERE segment_id = ?", Integer.class, segmentId);
        return count == null ? 0 : count;
    }

    List<String> page(long segmentId, int offset, int limit) {
        return jdbc.queryForList(
                "SELECT key FROM segment_keys WHERE segment_id = ? ORDER BY key OFFSET ? LIMIT ?",
                String.class,
                segmentId,
                offset,
                limit);
    }

    public List<String> all(long segmentId) {
        return jdbc.queryForList("SELECT key FROM segment_keys WHERE segment_id = ?", String.class, segmentId);
    }
}
