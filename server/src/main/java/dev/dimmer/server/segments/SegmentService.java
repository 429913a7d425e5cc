package dev.dimmer.server.segments;

import dev.dimmer.sdk.eval.ConfigValidator;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.ChangeNumbers;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Limits;
import dev.dimmer.server.system.Violations;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Segments of an environment: validated, versioned, audited; changes bump the environment's snapshot. */
@Service
class SegmentService {

    private static final TypeReference<List<Condition>> CONDITIONS = new TypeReference<>() {};
    private static final int MAX_KEY_LENGTH = 256;
    /** Audit entries list changed keys up to this many; beyond, counts only (a 100 000-key upload is not a log line). */
    private static final int AUDITED_KEYS = 1000;

    record CreateSegment(String key, String description, List<String> keys, List<Condition> conditions) {}

    record UpdateSegment(String description, List<Condition> conditions) {}

    record KeyChanges(List<String> add, List<String> remove) {}

    record SegmentView(
            String key,
            String environment,
            String description,
            List<Condition> conditions,
            int keyCount,
            boolean archived,
            long version,
            Instant createdAt,
            Instant updatedAt) {}

    private final SegmentRepository segments;
    private final SegmentKeys keys;
    private final Lookup lookup;
    private final AuditLog audit;
    private final ChangeNumbers changeNumbers;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    private final Limits limits;

    SegmentService(
            SegmentRepository segments,
            SegmentKeys keys,
            Lookup lookup,
            AuditLog audit,
            ChangeNumbers changeNumbers,
            ApplicationEventPublisher events,
            JsonMapper json,
            Limits limits) {
        this.limits = limits;
        this.segments = segments;
        this.keys = keys;
        this.lookup = lookup;
        this.audit = audit;
        this.changeNumbers = changeNumbers;
        this.events = events;
        this.json = json;
    }

    @Transactional
    SegmentView create(Actor actor, String project, String environment, CreateSegment request) {
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        List<String> initialKeys = request.keys() == null ? List.of() : request.keys();
        List<Condition> conditions = request.conditions() == null ? List.of() : request.conditions();
        Violations v = new Violations();
        v.requireKey("/key", request.key());
        v.maxLength("/description", request.description(), 2000);
        if (initialKeys.size() > limits.maxSegmentKeys()) {
            v.add("/keys", "a segment holds at most " + limits.maxSegmentKeys() + " keys");
        } else {
            checkKeys(v, "/keys", initialKeys);
        }
        checkConditions(v, conditions);
        v.throwIfAny();
        if (segments.findByEnvironmentIdAndKey(env.getId(), request.key()).isPresent()) {
            throw ApiException.conflict("segment '" + request.key() + "' already exists in '" + environment + "'");
        }
        Segment segment = segments.saveAndFlush(new Segment(
                env.getId(),
                request.key(),
                request.description() == null ? "" : request.description(),
                json.writeValueAsString(conditions)));
        keys.add(segment.getId(), initialKeys);
        changeNumbers.bump(env.getId());
        SegmentView view = view(env, segment);
        audit.record(
                actor,
                "create",
                AuditTarget.segment(project, environment, segment.getKey()),
                null,
                auditable(view, initialKeys, List.of()));
        return view;
    }

    @Transactional(readOnly = true)
    List<SegmentView> list(String project, String environment, String q, boolean archived) {
        Environment env = lookup.environment(project, environment);
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        return segments.findByEnvironmentIdOrderByKeyAsc(env.getId()).stream()
                .filter(s -> archived || !s.isArchived())
                .filter(s -> needle == null
                        || s.getKey().contains(needle)
                        || s.getDescription().toLowerCase(Locale.ROOT).contains(needle))
                .map(s -> view(env, s))
                .toList();
    }

    @Transactional(readOnly = true)
    SegmentView get(String project, String environment, String segment) {
        Environment env = lookup.environment(project, environment);
        return view(env, find(env, segment));
    }

    @Transactional(readOnly = true)
    List<String> keys(String project, String environment, String segment, int offset, int limit) {
        Environment env = lookup.environment(project, environment);
        if (offset < 0) throw ApiException.invalid("/offset", "must not be negative");
        if (limit < 1 || limit > 10_000) throw ApiException.invalid("/limit", "must be between 1 and 10000");
        return keys.page(find(env, segment).getId(), offset, limit);
    }

    @Transactional
    SegmentView update(Actor actor, String project, String environment, String segmentKey, UpdateSegment request) {
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        Segment segment = find(env, segmentKey);
        Violations v = new Violations();
        v.maxLength("/description", request.description(), 2000);
        if (request.conditions() != null) {
            checkConditions(v, request.conditions());
        }
        v.throwIfAny();
        SegmentView before = view(env, segment);
        segment.update(
                request.description(),
                request.conditions() == null ? null : json.writeValueAsString(request.conditions()),
                null);
        return commit(actor, "update", project, env, segment, before, List.of(), List.of());
    }

    @Transactional
    SegmentView changeKeys(Actor actor, String project, String environment, String segmentKey, KeyChanges request) {
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        Segment segment = find(env, segmentKey);
        List<String> add = request.add() == null ? List.of() : request.add();
        List<String> remove = request.remove() == null ? List.of() : request.remove();
        Violations v = new Violations();
        if (add.size() > limits.maxSegmentKeys() || remove.size() > limits.maxSegmentKeys()) {
            v.add(
                    add.size() > remove.size() ? "/add" : "/remove",
                    "a segment holds at most " + limits.maxSegmentKeys() + " keys");
        } else {
            checkKeys(v, "/add", add);
            checkKeys(v, "/remove", remove);
        }
        v.throwIfAny();
        SegmentView before = view(env, segment);
        keys.remove(segment.getId(), remove);
        keys.add(segment.getId(), add);
        int count = keys.count(segment.getId());
        if (count > limits.maxSegmentKeys()) {
            throw ApiException.invalid(
                    "/add",
                    "the segment would hold " + count + " keys; at most " + limits.maxSegmentKeys() + " are allowed");
        }
        segment.touch();
        return commit(actor, "update-keys", project, env, segment, before, add, remove);
    }

    @Transactional
    SegmentView archive(Actor actor, String project, String environment, String segmentKey) {
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        Segment segment = find(env, segmentKey);
        if (segment.isArchived()) {
            return view(env, segment);
        }
        events.publishEvent(new SegmentArchiving(env.getId(), segmentKey));
        SegmentView before = view(env, segment);
        segment.update(null, null, true);
        return commit(actor, "archive", project, env, segment, before, List.of(), List.of());
    }

    private SegmentView commit(
            Actor actor,
            String action,
            String project,
            Environment env,
            Segment segment,
            SegmentView before,
            List<String> added,
            List<String> removed) {
        Segment saved = segments.saveAndFlush(segment);
        changeNumbers.bump(env.getId());
        SegmentView after = view(env, saved);
        audit.record(
                actor,
                action,
                AuditTarget.segment(project, env.getKey(), segment.getKey()),
                before,
                auditable(after, added, removed));
        return after;
    }

    private Segment find(Environment env, String segment) {
        return segments.findByEnvironmentIdAndKey(env.getId(), segment)
                .orElseThrow(() -> ApiException.notFound("segment '" + segment + "' of '" + env.getKey() + "'"));
    }

    private SegmentView view(Environment env, Segment s) {
        return new SegmentView(
                s.getKey(),
                env.getKey(),
                s.getDescription(),
                json.readValue(s.getConditionsJson(), CONDITIONS),
                keys.count(s.getId()),
                s.isArchived(),
                s.getVersion(),
                s.getCreatedAt(),
                s.getUpdatedAt());
    }

    private static Map<String, Object> auditable(SegmentView view, List<String> added, List<String> removed) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("segment", view);
        if (!added.isEmpty()) {
            entry.put("addedKeys", added.size() <= AUDITED_KEYS ? added : added.subList(0, AUDITED_KEYS));
            entry.put("addedCount", added.size());
        }
        if (!removed.isEmpty()) {
            entry.put("removedKeys", removed.size() <= AUDITED_KEYS ? removed : removed.subList(0, AUDITED_KEYS));
            entry.put("removedCount", removed.size());
        }
        return entry;
    }

    private static void checkKeys(Violations v, String pointer, List<String> keyList) {
        for (int i = 0; i < keyList.size(); i++) {
            String key = keyList.get(i);
            if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
                v.add(pointer + "/" + i, "a key must be 1 to " + MAX_KEY_LENGTH + " characters");
            }
        }
    }

    /**
     * The conditions' limits, patterns measured and never compiled: the controller calls this before the transaction
     * begins, so an oversized or hostile condition is refused without holding a database connection.
     */
    void check(List<Condition> conditions) {
        if (conditions != null) {
            Violations v = new Violations();
            ConfigValidator.checkConditionLimits(conditions, "/conditions", limits.config())
                    .forEach(violation -> v.add(violation.pointer(), violation.message()));
            v.throwIfAny();
        }
    }

    private void checkConditions(Violations v, List<Condition> conditions) {
        // Segments are leaves: a condition may not refer to another segment. Such a condition gets
        // this one message; the engine's own findings about it (an unknown segment) would only repeat it.
        Set<String> segmentReferences = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            if (c != null && "IN_SEGMENT".equals(c.operator())) {
                v.add("/conditions/" + i + "/operator", "a segment cannot refer to other segments");
                segmentReferences.add("/conditions/" + i + "/");
            }
        }
        ConfigValidator.validateConditions(conditions, "/conditions", Set.of(), limits.config()).stream()
                .filter(violation -> segmentReferences.stream().noneMatch(violation.pointer()::startsWith))
                .forEach(violation -> v.add(violation.pointer(), violation.message()));
    }
}
