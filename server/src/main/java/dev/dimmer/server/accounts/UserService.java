package dev.dimmer.server.accounts;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.ProjectRepository;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.ConsoleSessions;
import dev.dimmer.server.security.Passwords;
import dev.dimmer.server.security.Role;
import dev.dimmer.server.security.SignIn;
import dev.dimmer.server.security.SignInThrottle;
import dev.dimmer.server.security.User;
import dev.dimmer.server.security.UserRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console users: created by admins with a BCrypt-hashed password; admins change their role and
 * projects, disable them, reset their password and end their sessions; a user changes their own
 * password with the current one. Disabling a user and changing a password end the user's sessions
 * on every replica. Every change is audited (never with a password).
 */
@Service
class UserService {

    private static final String USER_PREFIX = "user:";

    private final UserRepository users;
    private final ProjectRepository projects;
    private final Passwords passwords;
    private final ConsoleSessions sessions;
    private final SignIn signIn;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;

    UserService(
            UserRepository users,
            ProjectRepository projects,
            Passwords passwords,
            ConsoleSessions sessions,
            SignIn signIn,
            SignInThrottle throttle,
            AuditLog audit,
            Clock clock) {
        this.users = users;
        this.projects = projects;
        this.passwords = passwords;
        this.sessions = sessions;
        this.signIn = signIn;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    record CreateUser(String username, String password, String role, List<String> projects) {}

    /** Any field left out stays as it is. */
    record UpdateUser(String role, List<String> projects, Boolean disabled) {}

    record NewPassword(String password) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    record UserView(
            long id,
            String username,
            String role,
            List<String> projects,
            boolean disabled,
            Instant createdAt,
            Instant disabledAt,
            Instant passwordChangedAt) {

        static UserView of(User user) {
            return new UserView(
                    user.getId(),
                    user.getUsername(),
                    user.getRole().wireName(),
                    Arrays.asList(user.getProjects()),
                    user.isDisabled(),
                    user.getCreatedAt(),
                    user.getDisabledAt(),
                    user.getPasswordChangedAt());
        }
    }

    @Transactional
    UserView create(Actor actor, CreateUser request) {
        actor.requireAdmin();
        Violations violations = new Violations();
        violations.requireKey("/username", request.username());
        Passwords.validateNew(violations, "/password", request.password());
        Role role = personRole(violations, request.role());
        List<String> grants = ProjectGrants.check(violations, role, request.projects(), projects);
        violations.throwIfAny();
        if (users.existsByUsername(request.username())) {
            throw ApiException.conflict("user '" + request.username() + "' already exists");
        }
        User user = users.save(
                new User(request.username(), passwords.hash(request.password()), role, grants.toArray(String[]::new)));
        UserView view = UserView.of(user);
        audit.record(actor, "create", target(user), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    List<UserView> list(Actor actor) {
        actor.requireAdmin();
        return users.findAllByOrderByUsernameAsc().stream().map(UserView::of).toList();
    }

    @Transactional(readOnly = true)
    UserView get(Actor actor, String username) {
        actor.requireAdmin();
        return UserView.of(find(username));
    }

    /** Role, projects, disabled; disabling ends the user's sessions. An admin cannot disable themselves. */
    @Transactional
    UserView update(Actor actor, String username, UpdateUser request) {
        actor.requireAdmin();
        User user = find(username);
        Violations violations = new Violations();
        Role role = request.role() == null ? user.getRole() : personRole(violations, request.role());
        List<String> grants =
                request.projects() == null ? null : ProjectGrants.check(violations, role, request.projects(), projects);
        violations.throwIfAny();
        if (Boolean.TRUE.equals(request.disabled()) && actor.name().equals(USER_PREFIX + username)) {
            throw ApiException.conflict("you cannot disable yourself; another admin can");
        }
        UserView before = UserView.of(user);
        user.setRole(role);
        if (grants != null) {
            user.setProjects(grants.toArray(String[]::new));
        }
        boolean disabling = Boolean.TRUE.equals(request.disabled()) && !user.isDisabled();
        if (request.disabled() != null) {
            user.setDisabledAt(
                    request.disabled() ? (user.isDisabled() ? user.getDisabledAt() : clock.instant()) : null);
        }
        UserView after = UserView.of(users.save(user));
        audit.record(actor, disabling ? "disable" : "update", target(user), before, after);
        if (disabling) {
            sessions.endAll(username);
        }
        return after;
    }

    /** An admin sets a new password: the user's sessions end and its sign-in lock is lifted. */
    @Transactional
    void resetPassword(Actor actor, String username, NewPassword request) {
        actor.requireAdmin();
        User user = find(username);
        Violations violations = new Violations();
        Passwords.validateNew(violations, "/password", request.password());
        violations.throwIfAny();
        user.changePassword(passwords.hash(request.password()), clock.instant());
        users.save(user);
        audit.record(actor, "reset-password", target(user), null, null);
        throttle.clear(username);
        sessions.endAll(username);
    }

    /** Ends every session of the user (on every replica); returns how many there were. */
    @Transactional
    Map<String, Integer> endSessions(Actor actor, String username) {
        actor.requireAdmin();
        User user = find(username);
        int ended = sessions.endAll(username);
        audit.record(actor, "end-sessions", target(user), null, Map.of("ended", ended));
        return Map.of("ended", ended);
    }

    /**
     * A signed-in user changes their own password, proving the current one (a wrong one counts as
     * a failed sign-in). Their other sessions end; this one continues under a new id.
     */
    @Transactional
    void changeOwnPassword(Actor actor, PasswordChange request, String currentSessionId, String clientAddress) {
        if (!actor.name().startsWith(USER_PREFIX) || currentSessionId == null) {
            throw ApiException.forbidden("only a console user signed in with a session has a password to change");
        }
        User user = find(actor.name().substring(USER_PREFIX.length()));
        signIn.checkCurrentPassword(user, request.currentPassword(), clientAddress);
        Violations violations = new Violations();
        Passwords.validateNew(violations, "/newPassword", request.newPassword());
        if (request.newPassword() != null && request.newPassword().equals(request.currentPassword())) {
            violations.add("/newPassword", "must differ from the current password");
        }
        violations.throwIfAny();
        user.changePassword(passwords.hash(request.newPassword()), clock.instant());
        users.save(user);
        audit.record(actor, "change-password", target(user), null, null);
        sessions.endAllBut(user.getUsername(), currentSessionId);
    }

    private User find(String username) {
        return users.findByUsername(username).orElseThrow(() -> ApiException.notFound("user '" + username + "'"));
    }

    /** People are admins, editors or viewers; "metrics" is for tokens only. */
    private static Role personRole(Violations violations, String wire) {
        try {
            Role role = wire == null ? null : Role.fromWire(wire);
            if (role != null && role != Role.METRICS) {
                return role;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        violations.add("/role", "must be admin, editor or viewer");
        return null;
    }

    private static AuditTarget target(User user) {
        return new AuditTarget("user", user.getUsername(), null, null, null);
    }
}
