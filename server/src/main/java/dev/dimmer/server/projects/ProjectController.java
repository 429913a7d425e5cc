package dev.dimmer.server.projects;

import dev.dimmer.server.projects.ProjectService.CreateEnvironment;
import dev.dimmer.server.projects.ProjectService.CreateProject;
import dev.dimmer.server.projects.ProjectService.EnvironmentView;
import dev.dimmer.server.projects.ProjectService.ProjectView;
import dev.dimmer.server.projects.ProjectService.UpdateEnvironment;
import dev.dimmer.server.projects.ProjectService.UpdateProject;
import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Projects and their environments. Creating either is an admin's job; reading needs a grant of the project. */
@RestController
@RequestMapping("/api/v1/projects")
class ProjectController {

    private final ProjectService projects;

    ProjectController(ProjectService projects) {
        this.projects = projects;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ProjectView create(Actor actor, @RequestBody CreateProject request) {
        return projects.create(actor, request);
    }

    /** All projects, optionally those whose key or name contains {@code q}; archived ones on request. */
    @GetMapping
    List<ProjectView> list(
            Actor actor,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "false") boolean archived) {
        return projects.list(q, archived).stream()
                .filter(p -> actor.canRead(p.key()))
                .toList();
    }

    @GetMapping("/{project}")
    ProjectView get(Actor actor, @PathVariable String project) {
        actor.requireReaderOf(project);
        return projects.get(project);
    }

    @PatchMapping("/{project}")
    ProjectView update(Actor actor, @PathVariable String project, @RequestBody UpdateProject request) {
        return projects.update(actor, project, request);
    }

    /** Archives: the project and its history stay, it leaves the default lists. */
    @DeleteMapping("/{project}")
    ProjectView archive(Actor actor, @PathVariable String project) {
        return projects.archive(actor, project);
    }

    @PostMapping("/{project}/environments")
    @ResponseStatus(HttpStatus.CREATED)
    EnvironmentView createEnvironment(
            Actor actor, @PathVariable String project, @RequestBody CreateEnvironment request) {
        return projects.createEnvironment(actor, project, request);
    }

    @GetMapping("/{project}/environments")
    List<EnvironmentView> listEnvironments(
            Actor actor, @PathVariable String project, @RequestParam(defaultValue = "false") boolean archived) {
        actor.requireReaderOf(project);
        return projects.listEnvironments(project, archived);
    }

    @GetMapping("/{project}/environments/{environment}")
    EnvironmentView getEnvironment(Actor actor, @PathVariable String project, @PathVariable String environment) {
        actor.requireReaderOf(project);
        return projects.getEnvironment(project, environment);
    }

    @PatchMapping("/{project}/environments/{environment}")
    EnvironmentView updateEnvironment(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestBody UpdateEnvironment request) {
        return projects.updateEnvironment(actor, project, environment, request);
    }

    @DeleteMapping("/{project}/environments/{environment}")
    EnvironmentView archiveEnvironment(Actor actor, @PathVariable String project, @PathVariable String environment) {
        return projects.archiveEnvironment(actor, project, environment);
    }
}
