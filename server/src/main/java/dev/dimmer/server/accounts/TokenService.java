package dev.dimmer.server.accounts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.ApiKey;
import dev.dimmer.server.security.ApiKeyRepository;
import dev.dimmer.server.security.Role;
import dev.dimmer.server.security.Secrets;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Admin tokens: created by admins, the secret shown once, listed without secrets, revoked; audited. */
@Service
class TokenService {

    private final ApiKeyRepository keys;
    private final ProjectRepository projects;
    private final AuditLog audit;
    private final Clock clock;

    TokenService(ApiKeyRepository keys, ProjectRepository projects, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    record CreateToken(String name, String role, List<String> projects) {}

    record TokenView(
            long id,
            String name,
            String role,
            List<String> projects,
            String prefix,
            String createdBy,
            Instant createdAt,
            Instant revokedAt) {

        static TokenView of(ApiKey key) {
            return new TokenView(
                    key.getId(),
                    key.getName(),
                    key.getRole(),
                    Arrays.asList(key.getProjects()),
                    key.getSecretPrefix(),
                    key.getCreatedBy(),
                    key.getCreatedAt(),
                    key.getRevokedAt());
        }
    }

    /** The only time the secret is ever shown. */
    record CreatedToken(TokenView token, String secret) {}

    @Transactional
    CreatedToken create(Actor actor, CreateToken request) {
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireText("/name", request.name(), 100);
        Role role = null;
        if (request.role() == null) {
            violations.add("/role", "is required: admin, editor, viewer or metrics");
        } else {
            try {
                role = Role.fromWire(request.role());
            } catch (IllegalArgumentException e) {
                violations.add("/role", "must be admin, editor, viewer or metrics");
            }
        }
        List<String> projectKeys = ProjectGrants.check(violations, role, request.projects(), projects);
        violations.throwIfAny();
        String secret = Secrets.newSecret(Secrets.ADMIN_TOKEN_PREFIX);
        ApiKey token = keys.save(new ApiKey(
                ApiKey.ADMIN,
                request.name(),
                secret,
                null,
                role.wireName(),
                projectKeys.toArray(String[]::new),
                actor.name()));
        TokenView view = TokenView.of(token);
        audit.record(actor, "create", new AuditTarget("admin-token", token.getName(), null, null, null), null, view);
        return new CreatedToken(view, secret);
    }

    @Transactional(readOnly = true)
    List<TokenView> list(Actor actor) {
        actor.requireAdmin();
        return keys.findByKindOrderByIdAsc(ApiKey.ADMIN).stream()
                .map(TokenView::of)
                .toList();
    }

    @Transactional
    TokenView revoke(Actor actor, long id) {
        actor.requireAdmin();
        ApiKey token = keys.findById(id)
                .filter(key -> ApiKey.ADMIN.equals(key.getKind()))
                .orElseThrow(() -> ApiException.notFound("admin token " + id));
        TokenView before = TokenView.of(token);
        if (!token.isRevoked()) {
            token.revoke(Instant.now(clock));
            TokenView after = TokenView.of(token);
            audit.record(
                    actor, "revoke", new AuditTarget("admin-token", token.getName(), null, null, null), before, after);
            return after;
        }
        return before;
    }
}
