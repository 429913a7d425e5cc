package dev.dimmer.server.accounts;

import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.Role;
import dev.dimmer.server.system.Violations;
import java.util.List;

/**
 * Checks the projects granted to a user or admin token: existing project keys, or
 * {@value Actor#ALL_PROJECTS} for every project (present and future). Editors and viewers read
 * (editors also change) only what they are granted; admins need no grant; metrics tokens get none.
 */
final class ProjectGrants {

    private ProjectGrants() {}

    static List<String> check(Violations violations, Role role, List<String> requested, ProjectRepository projects) {
        List<String> grants = requested == null ? List.of() : requested;
        if (role == Role.METRICS && !grants.isEmpty()) {
            violations.add("/projects", "a metrics token reads no project: leave it empty");
            return grants;
        }
        for (int i = 0; i < grants.size(); i++) {
            String project = grants.get(i);
            if (project == null) {
                violations.add("/projects/" + i, "must be a project key or '" + Actor.ALL_PROJECTS + "'");
            } else if (!project.equals(Actor.ALL_PROJECTS) && !projects.existsByKey(project)) {
                violations.add("/projects/" + i, "project '" + project + "' does not exist");
            }
        }
        return grants;
    }
}
