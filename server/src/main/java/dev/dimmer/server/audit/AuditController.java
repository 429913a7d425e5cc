package dev.dimmer.server.audit;

import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the audit log, limited to the projects the reader may read (admins and readers of every
 * project see all, including users and tokens). There is deliberately no endpoint that changes or
 * deletes an entry.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private static final int MAX_LIMIT = 500;

    private final AuditEntryRepository entries;
    private final JsonMapper json;

    AuditController(AuditEntryRepository entries, JsonMapper json) {
        this.entries = entries;
        this.json = json;
    }

    record AuditEntryView(
            long id,
            Instant at,
            String actor,
            String action,
            String entityType,
            String entityKey,
            String project,
            String environment,
            String flag,
            JsonNode before,
            JsonNode after,
            String comment) {}

    /** Newest first; page back with {@code beforeId} (the smallest id of the previous page). */
    @GetMapping
    @Transactional(readOnly = true)
    List<AuditEntryView> search(
            Actor reader,
            @RequestParam(required = false) String project,
            @RequestParam(required = false) String flag,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Instant until,
            @RequestParam(required = false) Long beforeId,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("/limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (project != null) {
            reader.requireReaderOf(project);
        }
        Specification<AuditEntry> filter = (root, query, cb) -> {
            List<Predicate> predicates = new ArrayList<>();
            if (project != null) predicates.add(cb.equal(root.get("project"), project));
            if (!reader.readsAllProjects()) {
                // only entries of the reader's projects: not those of other projects, users or tokens
                predicates.add(
                        reader.projects().isEmpty()
                                ? cb.disjunction()
                                : root.get("project").in(reader.projects()));
            }
            if (flag != null) predicates.add(cb.equal(root.get("flag"), flag));
            if (actor != null) predicates.add(cb.equal(root.get("actor"), actor));
            if (since != null) predicates.add(cb.greaterThanOrEqualTo(root.get("at"), since));
            if (until != null) predicates.add(cb.lessThan(root.get("at"), until));
            if (beforeId != null) predicates.add(cb.lessThan(root.get("id"), beforeId));
            return cb.and(predicates.toArray(Predicate[]::new));
        };
        return entries.findAll(filter, PageRequest.of(0, limit, Sort.by(Sort.Direction.DESC, "id"))).stream()
                .map(this::view)
                .toList();
    }

    private AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(
                e.getId(),
                e.getAt(),
                e.getActor(),
                e.getAction(),
                e.getEntityType(),
                e.getEntityKey(),
                e.getProject(),
                e.getEnvironment(),
                e.getFlag(),
                e.getBefore() == null ? null : json.readTree(e.getBefore()),
                e.getAfter() == null ? null : json.readTree(e.getAfter()),
                e.getComment());
    }
}
