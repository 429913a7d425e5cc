package dev.dimmer.server.alerts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A flag's guardrail policy (docs/guardrails.md "Automatic kill"): NOTIFY (default) or KILL. Applies in every
 * environment; changing it is an audited change of the flag.
 */
@RestController
@RequestMapping("/api/v1/projects/{project}/flags/{flag}/guardrail-policy")
class GuardrailPolicyController {

    /**
     * @param policy NOTIFY or KILL
     * @param updatedBy who set it (null: never set, the default applies)
     */
    record PolicyView(String flag, String policy, Instant updatedAt, String updatedBy) {}

    record PolicyRequest(String policy) {}

    private final FlagService flags;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    GuardrailPolicyController(FlagService flags, JdbcTemplate jdbc, AuditLog audit) {
        this.flags = flags;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @GetMapping
    @Transactional(readOnly = true)
    PolicyView get(Actor actor, @PathVariable String project, @PathVariable String flag) {
        actor.requireReaderOf(project);
        return read(flags.find(project, flag));
    }

    @PutMapping
    @Transactional
    PolicyView put(
            Actor actor, @PathVariable String project, @PathVariable String flag, @RequestBody PolicyRequest request) {
        actor.requireEditorOf(project);
        Flag definition = flags.find(project, flag);
        GuardrailPolicy policy = parse(request == null ? null : request.policy());
        PolicyView before = read(definition);
        jdbc.update(
                "INSERT INTO flag_guardrail_policies (flag_id, policy, updated_at, updated_by) VALUES (?, ?, now(), ?)"
                        + " ON CONFLICT (flag_id) DO UPDATE SET policy = EXCLUDED.policy,"
                        + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by",
                definition.getId(),
                policy.name(),
                actor.name());
        PolicyView after = read(definition);
        audit.record(actor, "guardrail-policy", AuditTarget.flag(project, flag), before, after);
        return after;
    }

    private PolicyView read(Flag flag) {
        return jdbc
                .query(
                        "SELECT policy, updated_at, updated_by FROM flag_guardrail_policies WHERE flag_id = ?",
                        (rs, i) -> new PolicyView(
                                flag.getKey(),
                                rs.getString(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getString(3)),
                        flag.getId())
                .stream()
                .findFirst()
                .orElse(new PolicyView(flag.getKey(), GuardrailPolicy.NOTIFY.name(), null, null));
    }

    private static GuardrailPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("/policy", "is required: one of " + Arrays.toString(GuardrailPolicy.values()));
        }
        try {
            return GuardrailPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("/policy", "must be one of " + Arrays.toString(GuardrailPolicy.values()));
        }
    }
}
