package dev.dimmer.server.projects;

import dev.dimmer.server.system.ApiException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Resolves the keys in an API path to entities, answering 404 for the first that does not exist. */
@Component
public class Lookup {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;

    Lookup(ProjectRepository projects, EnvironmentRepository environments) {
        this.projects = projects;
        this.environments = environments;
    }

    @Transactional(readOnly = true)
    public Project project(String projectKey) {
        return projects.findByKey(projectKey).orElseThrow(() -> ApiException.notFound("project '" + projectKey + "'"));
    }

    @Transactional(readOnly = true)
    public Environment environment(String projectKey, String environmentKey) {
        return environment(project(projectKey), environmentKey);
    }

    @Transactional(readOnly = true)
    public Environment environment(Project project, String environmentKey) {
        return environments
                .findByProjectIdAndKey(project.getId(), environmentKey)
                .orElseThrow(() -> ApiException.notFound(
                        "environment '" + environmentKey + "' of project '" + project.getKey() + "'"));
    }
}
