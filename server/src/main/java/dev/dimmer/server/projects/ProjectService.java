package dev.dimmer.server.projects;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects and their environments: validated, audited. Creating either is an admin's job. */
@Service
class ProjectService {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final Lookup lookup;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;

    ProjectService(
            ProjectRepository projects,
            EnvironmentRepository environments,
            Lookup lookup,
            AuditLog audit,
            ApplicationEventPublisher events) {
        this.projects = projects;
        this.environments = environments;
        this.lookup = lookup;
        this.audit = audit;
        this.events = events;
    }

    record CreateProject(String key, String name, String description) {}

    record UpdateProject(String name, String description, Boolean archived) {}

    record ProjectView(
            String key, String name, String description, boolean archived, Instant createdAt, Instant updatedAt) {

        static ProjectView of(Project p) {
            return new ProjectView(
                    p.getKey(), p.getName(), p.getDescription(), p.isArchived(), p.getCreatedAt(), p.getUpdatedAt());
        }
    }

    record CreateEnvironment(String key, String name) {}

    record UpdateEnvironment(String name, Boolean archived) {}

    record EnvironmentView(String key, String name, long changeNumber, boolean archived, Instant createdAt) {

        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.getKey(), e.getName(), e.getChangeNumber(), e.isArchived(), e.getCreatedAt());
        }
    }

    @Transactional
    ProjectView create(Actor actor, CreateProject request) {
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireKey("/key", request.key());
        violations.maxLength("/name", request.name(), 200);
        violations.maxLength("/description", request.description(), 2000);
        violations.throwIfAny();
        if (projects.existsByKey(request.key())) {
            throw ApiException.conflict("project '" + request.key() + "' already exists");
        }
        String name = request.name() == null || request.name().isBlank() ? request.key() : request.name();
        ProjectView view = ProjectView.of(projects.save(new Project(request.key(), name, request.description())));
        audit.record(actor, "create", AuditTarget.project(view.key()), null, view);
        return view;
    }

    /** All projects, optionally those whose key or name contains {@code q}; archived ones on request. */
    @Transactional(readOnly = true)
    List<ProjectView> list(String q, boolean archived) {
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        return projects.findAllByOrderByKeyAsc().stream()
                .filter(p -> archived || !p.isArchived())
                .filter(p -> needle == null
                        || p.getKey().contains(needle)
                        || p.getName().toLowerCase(Locale.ROOT).contains(needle))
                .map(ProjectView::of)
                .toList();
    }

    @Transactional(readOnly = true)
    ProjectView get(String project) {
        return ProjectView.of(lookup.project(project));
    }

    @Transactional
    ProjectView update(Actor actor, String project, UpdateProject request) {
        Project entity = lookup.project(project);
        actor.requireAdmin();
        Violations violations = new Violations();
        if (request.name() != null) violations.requireText("/name", request.name(), 200);
        violations.maxLength("/description", request.description(), 2000);
        violations.throwIfAny();
        ProjectView before = ProjectView.of(entity);
        entity.update(request.name(), request.description(), request.archived());
        ProjectView after = ProjectView.of(projects.save(entity));
        audit.record(actor, "update", AuditTarget.project(project), before, after);
        return after;
    }

    /** Archives: the project and its history stay, it leaves the default lists. */
    @Transactional
    ProjectView archive(Actor actor, String project) {
        return update(actor, project, new UpdateProject(null, null, true));
    }

    @Transactional
    EnvironmentView createEnvironment(Actor actor, String project, CreateEnvironment request) {
        Project owner = lookup.project(project);
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireKey("/key", request.key());
        violations.maxLength("/name", request.name(), 200);
        violations.throwIfAny();
        if (environments.findByProjectIdAndKey(owner.getId(), request.key()).isPresent()) {
            throw ApiException.conflict("environment '" + request.key() + "' already exists in '" + project + "'");
        }
        String name = request.name() == null || request.name().isBlank() ? request.key() : request.name();
        Environment environment = environments.save(new Environment(owner.getId(), request.key(), name));
        events.publishEvent(new EnvironmentCreated(owner.getId(), environment.getId()));
        EnvironmentView view = EnvironmentView.of(environment);
        audit.record(actor, "create", AuditTarget.environment(project, environment.getKey()), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    List<EnvironmentView> listEnvironments(String project, boolean archived) {
        Project owner = lookup.project(project);
        return environments.findByProjectIdOrderByIdAsc(owner.getId()).stream()
                .filter(e -> archived || !e.isArchived())
                .map(EnvironmentView::of)
                .toList();
    }

    @Transactional(readOnly = true)
    EnvironmentView getEnvironment(String project, String environment) {
        return EnvironmentView.of(lookup.environment(project, environment));
    }

    @Transactional
    EnvironmentView updateEnvironment(Actor actor, String project, String environment, UpdateEnvironment request) {
        Environment entity = lookup.environment(project, environment);
        actor.requireAdmin();
        Violations violations = new Violations();
        if (request.name() != null) violations.requireText("/name", request.name(), 200);
        violations.throwIfAny();
        EnvironmentView before = EnvironmentView.of(entity);
        entity.update(request.name(), request.archived());
        EnvironmentView after = EnvironmentView.of(environments.save(entity));
        audit.record(actor, "update", AuditTarget.environment(project, environment), before, after);
        return after;
    }

    @Transactional
    EnvironmentView archiveEnvironment(Actor actor, String project, String environment) {
        return updateEnvironment(actor, project, environment, new UpdateEnvironment(null, true));
    }
}
