package dev.dimmer.server.flags;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface FlagRepository extends Repository<Flag, Long> {

    Flag save(Flag flag);

    Flag saveAndFlush(Flag flag);

    Optional<Flag> findById(Long id);

    Optional<Flag> findByProjectIdAndKey(Long projectId, String key);

    boolean existsByProjectIdAndKey(Long projectId, String key);

    List<Flag> findByProjectIdOrderByKeyAsc(Long projectId);

    List<Flag> findByProjectIdAndArchivedFalse(Long projectId);
}
