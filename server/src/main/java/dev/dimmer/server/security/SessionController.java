package dev.dimmer.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Console sign-in, "who am I" and sign-out. Signing in is the one admin API call that needs no
 * credential; it is throttled and same-origin only (see {@link SecurityConfiguration}).
 */
@RestController
class SessionController {

    private final SignIn signIn;
    private final ConsoleSessions sessions;

    SessionController(SignIn signIn, ConsoleSessions sessions) {
        this.signIn = signIn;
        this.sessions = sessions;
    }

    record SignInRequest(String username, String password) {}

    record SessionView(String actor, String role, List<String> projects) {

        static SessionView of(Actor actor) {
            return new SessionView(
                    actor.name(),
                    actor.role().wireName(),
                    actor.projects().stream().sorted().toList());
        }
    }

    /** Signs a console user in: a new session cookie then authenticates {@code /api/v1} calls. */
    @PostMapping("/api/v1/session")
    SessionView signIn(@RequestBody SignInRequest request, HttpServletRequest http, HttpServletResponse response) {
        User user = signIn.check(request.username(), request.password(), http.getRemoteAddr());
        sessions.start(http, response, user);
        return SessionView.of(Authenticator.actorOf(user));
    }

    @GetMapping("/api/v1/session")
    SessionView whoAmI(Actor actor) {
        return SessionView.of(actor);
    }

    @DeleteMapping("/api/v1/session")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void signOut(HttpServletRequest http, HttpServletResponse response) {
        sessions.end(http, response);
    }
}
