package dev.dimmer.server.security;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Server-side SDK keys of one environment: read its snapshot, send its impressions and events. */
@RestController
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/sdk-keys")
class SdkKeyController {

    private final ApiKeyRepository keys;
    private final Lookup lookup;
    private final AuditLog audit;
    private final Clock clock;

    SdkKeyController(ApiKeyRepository keys, Lookup lookup, AuditLog audit, Clock clock) {
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

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    CreatedSdkKey create(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestBody CreateSdkKey request) {
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

    @GetMapping
    @Transactional(readOnly = true)
    List<SdkKeyView> list(Actor actor, @PathVariable String project, @PathVariable String environment) {
        Environment env = lookup.environment(project, environment);
        actor.requireAdmin();
        return keys.findByKindAndEnvironmentIdOrderByIdAsc(ApiKey.SDK, env.getId()).stream()
                .map(SdkKeyView::of)
                .toList();
    }

    @DeleteMapping("/{id}")
    @Transactional
    SdkKeyView revoke(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable long id) {
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
