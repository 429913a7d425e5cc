package dev.dimmer.server.security;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

public interface ApiKeyRepository extends Repository<ApiKey, Long> {

    ApiKey save(ApiKey key);

    Optional<ApiKey> findBySecretHash(String secretHash);

    Optional<ApiKey> findById(Long id);

    List<ApiKey> findByKindOrderByIdAsc(String kind);

    List<ApiKey> findByKindAndEnvironmentIdOrderByIdAsc(String kind, Long environmentId);

    boolean existsByKindAndRoleAndRevokedAtIsNull(String kind, String role);
}
