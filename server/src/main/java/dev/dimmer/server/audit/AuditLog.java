package dev.dimmer.server.audit;

import dev.dimmer.server.security.Actor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an audit entry in the same transaction as the change it describes, so a change that
 * rolls back leaves no entry and a committed one always has its entry.
 */
@Service
public class AuditLog {

    /** Lets a person say why they made a change; recorded with it. */
    public static final String COMMENT_HEADER = "X-Dimmer-Comment";

    private static final int MAX_COMMENT = 2000;

    private final AuditEntryRepository entries;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(AuditEntryRepository entries, JsonMapper json, Clock clock) {
        this.entries = entries;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Actor actor, String action, AuditTarget target, Object before, Object after) {
        record(actor, action, target, before, after, commentOfCurrentRequest());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Actor actor, String action, AuditTarget target, Object before, Object after, String comment) {
        entries.save(new AuditEntry(
                Instant.now(clock), actor.name(), action, target, toJson(before), toJson(after), comment));
    }

    private String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    private static String commentOfCurrentRequest() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            String comment = request.getHeader(COMMENT_HEADER);
            if (comment != null && !comment.isBlank()) {
                return comment.length() > MAX_COMMENT ? comment.substring(0, MAX_COMMENT) : comment;
            }
        }
        return null;
    }
}
