package dev.dimmer.server.metrics;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface MetricRepository extends Repository<Metric, Long> {

    Metric saveAndFlush(Metric metric);

    Optional<Metric> findById(Long id);

    Optional<Metric> findByProjectIdAndKey(Long projectId, String key);

    List<Metric> findByProjectIdOrderByKeyAsc(Long projectId);

    List<Metric> findByProjectIdAndGuardrailTrueAndArchivedFalse(Long projectId);
}
