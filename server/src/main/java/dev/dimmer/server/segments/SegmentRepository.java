package dev.dimmer.server.segments;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

public interface SegmentRepository extends Repository<Segment, Long> {

    Segment save(Segment segment);

    Segment saveAndFlush(Segment segment);

    Optional<Segment> findByEnvironmentIdAndKey(Long environmentId, String key);

    List<Segment> findByEnvironmentIdOrderByKeyAsc(Long environmentId);

    List<Segment> findByEnvironmentIdAndArchivedFalse(Long environmentId);

    @Query("select s.key from Segment s where s.environmentId = ?1 and s.archived = false")
    List<String> activeKeysOf(Long environmentId);
}
