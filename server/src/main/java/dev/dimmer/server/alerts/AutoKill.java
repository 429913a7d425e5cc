package dev.dimmer.server.alerts;

import dev.dimmer.server.security.Actor;
import dev.dimmer.server.targeting.ConfigurationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Kills a flag in an environment for a severely breached guardrail, through the same {@link ConfigurationService} kill
 * a person uses: the same version bump, change feed (SDKs see it by streaming) and audit entry, by actor
 * {@code guardrail:<metric>} with the numbers that triggered it as the entry's comment.
 */
@Component
class AutoKill {

    private static final Logger log = LoggerFactory.getLogger(AutoKill.class);

    private final ConfigurationService configurations;

    AutoKill(ConfigurationService configurations) {
        this.configurations = configurations;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void kill(Subject subject, Finding finding) {
        String comment = "Guardrail policy KILL: " + finding.summary() + " " + restoreHint(subject);
        configurations.kill(
                Actor.system("guardrail:" + finding.metric()),
                subject.project(),
                subject.environment(),
                subject.flag(),
                comment);
        log.warn(
                "flag '{}' killed in {}/{} by guardrail {}: {}",
                subject.flag(),
                subject.project(),
                subject.environment(),
                finding.metric(),
                finding.summary());
    }

    static String restoreHint(Subject subject) {
        return "To restore it once fixed: POST " + subject.configurationPath()
                + "/restore (or Restore in the console), then resolve the alert.";
    }
}
