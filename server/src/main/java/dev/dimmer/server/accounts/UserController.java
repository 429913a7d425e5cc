package dev.dimmer.server.accounts;

import dev.dimmer.server.accounts.UserService.CreateUser;
import dev.dimmer.server.accounts.UserService.NewPassword;
import dev.dimmer.server.accounts.UserService.PasswordChange;
import dev.dimmer.server.accounts.UserService.UpdateUser;
import dev.dimmer.server.accounts.UserService.UserView;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.ConsoleSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Console users (managed by admins) and a signed-in user's own password. */
@RestController
class UserController {

    private final UserService users;
    private final ConsoleSessions sessions;

    UserController(UserService users, ConsoleSessions sessions) {
        this.users = users;
        this.sessions = sessions;
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

    @GetMapping("/api/v1/users/{username}")
    UserView get(Actor actor, @PathVariable String username) {
        return users.get(actor, username);
    }

    /** {@code {role?, projects?, disabled?}}; disabling ends the user's sessions. */
    @PatchMapping("/api/v1/users/{username}")
    UserView update(Actor actor, @PathVariable String username, @RequestBody UpdateUser request) {
        return users.update(actor, username, request);
    }

    /** An admin sets a user's password; the user's sessions end. */
    @PutMapping("/api/v1/users/{username}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPassword(Actor actor, @PathVariable String username, @RequestBody NewPassword request) {
        users.resetPassword(actor, username, request);
    }

    /** Signs the user out everywhere: {@code {"ended": n}}. */
    @DeleteMapping("/api/v1/users/{username}/sessions")
    Map<String, Integer> endSessions(Actor actor, @PathVariable String username) {
        return users.endSessions(actor, username);
    }

    /** The signed-in user's own password; their other sessions end, this one gets a new id. */
    @PutMapping("/api/v1/session/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changeOwnPassword(Actor actor, @RequestBody PasswordChange request, HttpServletRequest http) {
        users.changeOwnPassword(actor, request, sessions.currentId(http).orElse(null), http.getRemoteAddr());
        sessions.renewId(http);
    }
}
