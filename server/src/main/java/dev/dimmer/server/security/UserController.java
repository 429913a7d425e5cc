package dev.dimmer.server.security;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Console users (created by admins) and their sign-in sessions. */
@RestController
class UserController {

    private static final int MIN_PASSWORD = 12;

    private final UserRepository users;
    private final ProjectRepository projects;
    private final PasswordEncoder passwords;
    private final AuditLog audit;

    UserController(UserRepository users, ProjectRepository projects, PasswordEncoder passwords, AuditLog audit) {
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

    record SignIn(String username, String password) {}

    record SessionView(String actor, String role, List<String> projects) {

        static SessionView of(Actor actor) {
            return new SessionView(
                    actor.name(),
                    actor.role().wireName(),
                    actor.projects().stream().sorted().toList());
        }
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    UserView create(Actor actor, @RequestBody CreateUser request) {
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

    @GetMapping("/api/v1/users")
    @Transactional(readOnly = true)
    List<UserView> list(Actor actor) {
        actor.requireAdmin();
        return users.findAllByOrderByUsernameAsc().stream().map(UserView::of).toList();
    }

    /** Signs a console user in: the session cookie then authenticates {@code /api/v1} calls. */
    @PostMapping("/api/v1/session")
    @Transactional(readOnly = true)
    SessionView signIn(@RequestBody SignIn request, HttpServletRequest http) {
        User user = users.findByUsername(request.username() == null ? "" : request.username())
                .filter(u -> request.password() != null && passwords.matches(request.password(), u.getPasswordHash()))
                .orElseThrow(() -> ApiException.unauthorized("unknown user or wrong password"));
        HttpSession old = http.getSession(false);
        if (old != null) {
            old.invalidate(); // a fresh session id on sign-in defeats session fixation
        }
        Actor actor = Authenticator.actorOf(user);
        http.getSession(true).setAttribute(AuthenticationFilter.SESSION_USER, actor);
        return SessionView.of(actor);
    }

    @GetMapping("/api/v1/session")
    SessionView whoAmI(Actor actor) {
        return SessionView.of(actor);
    }

    @DeleteMapping("/api/v1/session")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void signOut(HttpServletRequest http) {
        HttpSession session = http.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
