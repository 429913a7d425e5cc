package dev.dimmer.server.flags;

import dev.dimmer.sdk.snapshot.Treatment;
import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.FlagRequests.CreateFlag;
import dev.dimmer.server.flags.FlagRequests.UpdateFlag;
import dev.dimmer.server.projects.ChangeNumbers;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Limits;
import dev.dimmer.server.system.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, finds, changes and archives flag definitions; every change is audited and bumps the snapshots. */
@Service
public class FlagService {

    private final FlagRepository flags;
    private final FlagTreatments treatments;
    private final Lookup lookup;
    private final AuditLog audit;
    private final ChangeNumbers changeNumbers;
    private final ApplicationEventPublisher events;
    private final Limits limits;

    FlagService(
            FlagRepository flags,
            FlagTreatments treatments,
            Lookup lookup,
            AuditLog audit,
            ChangeNumbers changeNumbers,
            ApplicationEventPublisher events,
            Limits limits) {
        this.limits = limits;
        this.flags = flags;
        this.treatments = treatments;
        this.lookup = lookup;
        this.audit = audit;
        this.changeNumbers = changeNumbers;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public Flag find(String projectKey, String flagKey) {
        Project project = lookup.project(projectKey);
        return flags.findByProjectIdAndKey(project.getId(), flagKey)
                .orElseThrow(() -> ApiException.notFound("flag '" + flagKey + "' of project '" + projectKey + "'"));
    }

    @Transactional
    FlagView create(Actor actor, String projectKey, CreateFlag request) {
        Project project = lookup.project(projectKey);
        actor.requireEditorOf(projectKey);
        List<Treatment> chosen = request.treatments() == null ? FlagRequests.DEFAULT_TREATMENTS : request.treatments();
        Violations v = new Violations();
        v.requireKey("/key", request.key());
        FlagRequests.checkCommon(
                v, limits, request.description(), request.ownerTeam(), request.kind(), chosen, request.tags());
        List<String> names =
                chosen.stream().filter(t -> t != null).map(Treatment::name).toList();
        String offTreatment = request.offTreatment() != null
                ? request.offTreatment()
                : names.contains("off") ? "off" : names.isEmpty() ? null : names.get(0);
        if (request.offTreatment() != null && !names.contains(request.offTreatment())) {
            v.add("/offTreatment", "unknown treatment '" + request.offTreatment() + "'; known: " + names);
        }
        v.throwIfAny();
        if (flags.existsByProjectIdAndKey(project.getId(), request.key())) {
            throw ApiException.conflict("flag '" + request.key() + "' already exists in project '" + projectKey + "'");
        }
        Flag flag = flags.save(new Flag(
                project.getId(),
                request.key(),
                orEmpty(request.description()),
                orEmpty(request.ownerTeam()),
                request.kind() == null ? FlagKind.RELEASE.wireName : request.kind(),
                treatments.toJson(chosen),
                tagsOf(request.tags())));
        events.publishEvent(new FlagCreated(
                project.getId(),
                flag.getId(),
                flag.getKey(),
                names,
                offTreatment,
                request.seed(),
                request.trafficSeed()));
        changeNumbers.bumpProject(project.getId());
        FlagView view = treatments.view(flag);
        audit.record(actor, "create", AuditTarget.flag(projectKey, flag.getKey()), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    public List<FlagView> search(String projectKey, String q, String tag, String owner, String kind, String status) {
        Project project = lookup.project(projectKey);
        if (status != null && !List.of("active", "archived", "all").contains(status)) {
            throw ApiException.invalid("/status", "must be active, archived or all");
        }
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        return flags.findByProjectIdOrderByKeyAsc(project.getId()).stream()
                .filter(f -> switch (status == null ? "active" : status) {
                    case "archived" -> f.isArchived();
                    case "all" -> true;
                    default -> !f.isArchived();
                })
                .filter(f -> needle == null
                        || f.getKey().contains(needle)
                        || f.getDescription().toLowerCase(Locale.ROOT).contains(needle))
                .filter(f -> tag == null || List.of(f.getTags()).contains(tag))
                .filter(f -> owner == null || owner.equals(f.getOwnerTeam()))
                .filter(f -> kind == null || kind.equals(f.getKind()))
                .map(treatments::view)
                .toList();
    }

    @Transactional
    FlagView update(Actor actor, String projectKey, String flagKey, UpdateFlag request) {
        Flag flag = find(projectKey, flagKey);
        actor.requireEditorOf(projectKey);
        Violations v = new Violations();
        FlagRequests.checkCommon(
                v,
                limits,
                request.description(),
                request.ownerTeam(),
                request.kind(),
                request.treatments(),
                request.tags());
        v.throwIfAny();
        FlagView before = treatments.view(flag);
        Set<String> removed = new HashSet<>(treatments.namesOf(flag));
        if (request.treatments() != null) {
            removed.removeAll(request.treatments().stream().map(Treatment::name).toList());
        } else {
            removed.clear();
        }
        boolean archiving = Boolean.TRUE.equals(request.archived()) && !flag.isArchived();
        if (!removed.isEmpty() || archiving) {
            events.publishEvent(new FlagChanging(flag.getProjectId(), flag.getId(), flagKey, removed, archiving));
        }
        if (request.description() != null) flag.setDescription(request.description());
        if (request.ownerTeam() != null) flag.setOwnerTeam(request.ownerTeam());
        if (request.kind() != null) flag.setKind(request.kind());
        if (request.treatments() != null) flag.setTreatmentsJson(treatments.toJson(request.treatments()));
        if (request.tags() != null) flag.setTags(tagsOf(request.tags()));
        if (request.archived() != null) flag.setArchived(request.archived());
        flag.touch();
        flags.saveAndFlush(flag); // flushed now so the view below carries the new version
        changeNumbers.bumpProject(flag.getProjectId());
        FlagView after = treatments.view(flag);
        audit.record(actor, archiving ? "archive" : "update", AuditTarget.flag(projectKey, flagKey), before, after);
        return after;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String[] tagsOf(List<String> tags) {
        return tags == null ? new String[0] : tags.stream().distinct().toArray(String[]::new);
    }
}
