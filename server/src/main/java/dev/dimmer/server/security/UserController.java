package dev.dimmer.server.security;

import dev.dimmer.server.security.UserService.CreateUser;
import dev.dimmer.server.security.UserService.UserView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Console users (created by admins) and their sign-in sessions. */
@RestController
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
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
    UserView create(Actor actor, @RequestBody CreateUser request) {
        return users.create(actor, request);
    }

    @GetMapping("/api/v1/users")
    List<UserView> list(Actor actor) {
        return users.list(actor);
    }

    /** Signs a console user in: the session cookie then authenticates {@code /api/v1} calls. */
    @PostMapping("/api/v1/session")
    SessionView signIn(@RequestBody SignIn request, HttpServletRequest http) {
        Actor actor = users.authenticate(request.username(), request.password());
        HttpSession old = http.getSession(false);
        if (old != null) {
            old.invalidate(); // a fresh session id on sign-in defeats session fixation
        }
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
