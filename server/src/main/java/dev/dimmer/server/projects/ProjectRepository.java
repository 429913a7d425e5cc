package dev.dimmer.server.projects;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface ProjectRepository extends Repository<Project, Long> {

    Project save(Project project);

    Optional<Project> findByKey(String key);

    boolean existsByKey(String key);

    List<Project> findAllByOrderByKeyAsc();
}
