package dev.dimmer.server.security;

import dev.dimmer.server.system.ApiException;
import java.util.Set;

/**
 * Who is making an admin API call: a person signed in to the console ({@code user:<name>}), an
 * admin token ({@code token:<name>}) or the platform itself ({@code guardrail:<metric>},
 * {@code plan:<id>}). Its name is what the audit log records.
 *
 * <p>Project-scoped roles apply to reads and writes alike: an editor or viewer reads only the
 * projects it is granted, unless it is granted {@value #ALL_PROJECTS} (every project, present and
 * future). Admins read and change everything.
 */
public record Actor(String name, Role role, Set<String> projects) {

    /** The grant that stands for every project. */
    public static final String ALL_PROJECTS = "*";

    public Actor {
        projects = Set.copyOf(projects);
    }

    public static Actor system(String name) {
        return new Actor(name, Role.ADMIN, Set.of());
    }

    public void requireAdmin() {
        if (role != Role.ADMIN) {
            throw ApiException.forbidden(name + " (" + role.wireName() + ") may not do this: admin role required");
        }
    }

    /** Flags, segments and metrics: admins anywhere, editors in the projects they belong to. */
    public void requireEditorOf(String project) {
        if (!canEdit(project)) {
            throw ApiException.forbidden(name + " (" + role.wireName() + ") may not change project '" + project + "'");
        }
    }

    /** Anything read from a project (flags, configurations, segments and their keys, reports …). */
    public void requireReaderOf(String project) {
        if (!canRead(project)) {
            throw ApiException.forbidden(name + " (" + role.wireName() + ") may not read project '" + project + "'");
        }
    }

    public boolean canEdit(String project) {
        return role == Role.ADMIN || (role == Role.EDITOR && isGranted(project));
    }

    public boolean canRead(String project) {
        return role == Role.ADMIN || ((role == Role.EDITOR || role == Role.VIEWER) && isGranted(project));
    }

    /** True when no project is hidden from this actor, so lists need no filtering. */
    public boolean readsAllProjects() {
        return role == Role.ADMIN || ((role == Role.EDITOR || role == Role.VIEWER) && projects.contains(ALL_PROJECTS));
    }

    private boolean isGranted(String project) {
        return projects.contains(ALL_PROJECTS) || projects.contains(project);
    }
}
