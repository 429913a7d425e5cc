package dev.dimmer.server.accounts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.ApiKey;
import dev.dimmer.server.security.ApiKeyRepository;
import dev.dimmer.server.security.Secrets;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** SDK keys of one environment: created by admins, the key shown once, listed without it, revoked; audited. */
@Service
class SdkKeyService {

    private final ApiKeyRepository keys;
    private final Lookup lookup;
    private final AuditLog audit;
    private final Clock clock;

    SdkKeyService(ApiKeyRepository keys, Lookup lookup, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.lookup = lookup;
        this.audit = audit;
        this.clock = clock;
    }

    record CreateSdkKey(String name) {}

    record SdkKeyView(long id, String name, String prefix, String createdBy, Instant createdAt, Instant revokedAt) {

        static SdkKeyView of(ApiKey key) {
            return new SdkKeyView(
                    key.getId(),
                    key.getName(),
                    key.getSecretPrefix(),
                    key.getCreatedBy(),
                    key.getCreatedAt(),
                    key.getRevokedAt());
        }
    }

    /** The only time the key is ever shown. */
    record CreatedSdkKey(SdkKeyView sdkKey, String key) {}

    @Transactional
    CreatedSdkKey create(Actor actor, String project, String environment, CreateSdkKey request) {
        Environment env = lookup.environment(project, environment);
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireText("/name", request.name(), 100);
        violations.throwIfAny();
        String secret = Secrets.newSecret(Secrets.SDK_KEY_PREFIX);
        ApiKey key = keys.save(
                new ApiKey(ApiKey.SDK, request.name(), secret, env.getId(), null, new String[0], actor.name()));
        SdkKeyView view = SdkKeyView.of(key);
        audit.record(actor, "create", target(project, environment, key), null, view);
        return new CreatedSdkKey(view, secret);
    }

    @Transactional(readOnly = true)
    List<SdkKeyView> list(Actor actor, String project, String environment) {
        Environment env = lookup.environment(project, environment);
        actor.requireAdmin();
        return keys.findByKindAndEnvironmentIdOrderByIdAsc(ApiKey.SDK, env.getId()).stream()
                .map(SdkKeyView::of)
                .toList();
    }

    @Transactional
    SdkKeyView revoke(Actor actor, String project, String environment, long id) {
        Environment env = lookup.environment(project, environment);
        actor.requireAdmin();
        ApiKey key = keys.findById(id)
                .filter(k -> ApiKey.SDK.equals(k.getKind()) && env.getId().equals(k.getEnvironmentId()))
                .orElseThrow(() -> ApiException.notFound("SDK key " + id + " of environment '" + environment + "'"));
        SdkKeyView before = SdkKeyView.of(key);
        if (key.isRevoked()) {
            return before;
        }
        key.revoke(Instant.now(clock));
        SdkKeyView after = SdkKeyView.of(key);
        audit.record(actor, "revoke", target(project, environment, key), before, after);
        return after;
    }

    private static AuditTarget target(String project, String environment, ApiKey key) {
        return new AuditTarget("sdk-key", key.getName(), project, environment, null);
    }
}
