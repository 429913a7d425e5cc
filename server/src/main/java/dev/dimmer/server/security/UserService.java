package dev.dimmer.server.security;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Console users: created by admins with a BCrypt-hashed password; signing in checks it. */
@Service
class UserService {

    private static final int MIN_PASSWORD = 12;

    private final UserRepository users;
    private final ProjectRepository projects;
    private final PasswordEncoder passwords;
    private final AuditLog audit;

    UserService(UserRepository users, ProjectRepository projects, PasswordEncoder passwords, AuditLog audit) {
        this.users = users;
        this.projects = projects;
        this.passwords = passwords;
        this.audit = audit;
    }

    record CreateUser(String username, String password, String role, List<String> projects) {}

    record UserView(long id, String username, String role, List<String> projects, Instant createdAt) {

        static UserView of(User user) {
            return new UserView(
                    user.getId(),
                    user.getUsername(),
                    user.getRole().wireName(),
                    Arrays.asList(user.getProjects()),
                    user.getCreatedAt());
        }
    }

    @Transactional
    UserView create(Actor actor, CreateUser request) {
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireKey("/username", request.username());
        if (request.password() == null || request.password().length() < MIN_PASSWORD) {
            violations.add("/password", "must be at least " + MIN_PASSWORD + " characters");
        }
        Role role = null;
        try {
            role = request.role() == null ? null : Role.fromWire(request.role());
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        if (role == null) {
            violations.add("/role", "must be admin, editor or viewer");
        }
        List<String> projectKeys = request.projects() == null ? List.of() : request.projects();
        for (int i = 0; i < projectKeys.size(); i++) {
            if (!projects.existsByKey(projectKeys.get(i))) {
                violations.add("/projects/" + i, "project '" + projectKeys.get(i) + "' does not exist");
            }
        }
        violations.throwIfAny();
        if (users.existsByUsername(request.username())) {
            throw ApiException.conflict("user '" + request.username() + "' already exists");
        }
        User user = users.save(new User(
                request.username(), passwords.encode(request.password()), role, projectKeys.toArray(String[]::new)));
        UserView view = UserView.of(user);
        audit.record(actor, "create", new AuditTarget("user", user.getUsername(), null, null, null), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    List<UserView> list(Actor actor) {
        actor.requireAdmin();
        return users.findAllByOrderByUsernameAsc().stream().map(UserView::of).toList();
    }

    /** The actor of a user whose password matches; 401 otherwise, without saying which part was wrong. */
    @Transactional(readOnly = true)
    Actor authenticate(String username, String password) {
        return users.findByUsername(username == null ? "" : username)
                .filter(u -> password != null && passwords.matches(password, u.getPasswordHash()))
                .map(Authenticator::actorOf)
                .orElseThrow(() -> ApiException.unauthorized("unknown user or wrong password"));
    }
}
