package dev.dimmer.server.security;

import dev.dimmer.server.system.ApiException;
import java.util.Set;

/**
 * Who is making an admin API call: a person signed in to the console ({@code user:<name>}), an
 * admin token ({@code token:<name>}) or the platform itself ({@code guardrail:<metric>},
 * {@code plan:<id>}). Its name is what the audit log records.
 */
public record Actor(String name, Role role, Set<String> projects) {

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

    public boolean canEdit(String project) {
        return role == Role.ADMIN || (role == Role.EDITOR && projects.contains(project));
    }
}
