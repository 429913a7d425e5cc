package dev.dimmer.server.projects;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface EnvironmentRepository extends Repository<Environment, Long> {

    Environment save(Environment environment);

    Optional<Environment> findById(Long id);

    Optional<Environment> findByProjectIdAndKey(Long projectId, String key);

    List<Environment> findByProjectIdOrderByIdAsc(Long projectId);

    List<Environment> findByProjectIdAndArchivedFalseOrderByIdAsc(Long projectId);
}
