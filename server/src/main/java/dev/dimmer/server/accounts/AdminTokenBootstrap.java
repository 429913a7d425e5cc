package dev.dimmer.server.accounts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.ApiKey;
import dev.dimmer.server.security.ApiKeyRepository;
import dev.dimmer.server.security.Role;
import dev.dimmer.server.security.Secrets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On first start, {@code DIMMER_ADMIN_TOKEN} becomes the first admin token, so a fresh install
 * can be driven by its API without a chicken-and-egg step. Once any active admin token exists
 * the variable is ignored (and can be removed from the deployment).
 */
@Component
class AdminTokenBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);
    static final int MIN_LENGTH = 20;

    private final ApiKeyRepository keys;
    private final AuditLog audit;
    private final String adminToken;

    AdminTokenBootstrap(ApiKeyRepository keys, AuditLog audit, @Value("${DIMMER_ADMIN_TOKEN:}") String adminToken) {
        this.keys = keys;
        this.audit = audit;
        this.adminToken = adminToken;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void createFirstAdminToken() {
        if (adminToken.isBlank()) {
            if (!keys.existsByKindAndRoleAndRevokedAtIsNull(ApiKey.ADMIN, Role.ADMIN.wireName())) {
                log.warn("No admin token exists and DIMMER_ADMIN_TOKEN is not set: the admin API cannot be used");
            }
            return;
        }
        if (keys.existsByKindAndRoleAndRevokedAtIsNull(ApiKey.ADMIN, Role.ADMIN.wireName())) {
            log.info("DIMMER_ADMIN_TOKEN ignored: an admin token already exists");
            return;
        }
        if (adminToken.length() < MIN_LENGTH) {
            throw new IllegalStateException(
                    "DIMMER_ADMIN_TOKEN must be at least " + MIN_LENGTH + " characters of random text");
        }
        if (keys.findBySecretHash(Secrets.hash(adminToken)).isPresent()) {
            log.warn("DIMMER_ADMIN_TOKEN ignored: it was used before and has been revoked");
            return;
        }
        ApiKey token = keys.save(new ApiKey(
                ApiKey.ADMIN,
                "bootstrap",
                adminToken,
                null,
                Role.ADMIN.wireName(),
                new String[0],
                "DIMMER_ADMIN_TOKEN"));
        audit.record(
                Actor.system("system:bootstrap"),
                "create",
                new AuditTarget("admin-token", token.getName(), null, null, null),
                null,
                Map.of("name", token.getName(), "role", token.getRole()),
                "first admin token from DIMMER_ADMIN_TOKEN");
        log.info("Created the first admin token 'bootstrap' from DIMMER_ADMIN_TOKEN");
    }
}
