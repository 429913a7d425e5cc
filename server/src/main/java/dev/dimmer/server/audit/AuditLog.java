package dev.dimmer.server.audit;

import dev.dimmer.server.security.Actor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    /**
     * Lets a person say why they made a change; recorded with it. Header values are Latin-1, so text beyond it comes
     * as an RFC 8187 extended value, {@code UTF-8''} and the percent-encoded UTF-8 bytes (what the console sends).
     */
    public static final String COMMENT_HEADER = "X-Dimmer-Comment";

    private static final String EXTENDED_VALUE = "UTF-8''";

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
            String comment = decode(request.getHeader(COMMENT_HEADER));
            if (comment != null && !comment.isBlank()) {
                return comment.length() > MAX_COMMENT ? comment.substring(0, MAX_COMMENT) : comment;
            }
        }
        return null;
    }

    private static String decode(String header) {
        if (header == null || !header.regionMatches(true, 0, EXTENDED_VALUE, 0, EXTENDED_VALUE.length())) {
            return header;
        }
        try {
            return URLDecoder.decode(header.substring(EXTENDED_VALUE.length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return header; // kept as sent rather than lost
        }
    }
}
