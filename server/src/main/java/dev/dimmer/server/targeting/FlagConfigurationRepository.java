package dev.dimmer.server.targeting;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface FlagConfigurationRepository extends Repository<FlagConfiguration, Long> {

    FlagConfiguration save(FlagConfiguration configuration);

    FlagConfiguration saveAndFlush(FlagConfiguration configuration);

    Optional<FlagConfiguration> findByFlagIdAndEnvironmentId(Long flagId, Long environmentId);

    List<FlagConfiguration> findByEnvironmentId(Long environmentId);

    List<FlagConfiguration> findByFlagId(Long flagId);
}
