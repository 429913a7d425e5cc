package dev.dimmer.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/**
 * Console sessions, stored by Spring Session JDBC in PostgreSQL: they survive a restart and every
 * replica sees them. A session holds only the username (also its principal-name index, so all of
 * a user's sessions can be found and ended); the user is read again on every request.
 */
@Component
public class ConsoleSessions {

    static final String USERNAME = "dimmer.username";

    private final FindByIndexNameSessionRepository<? extends Session> repository;
    private final UserRepository users;
    private final CsrfTokenRepository csrfTokens;

    ConsoleSessions(
            FindByIndexNameSessionRepository<? extends Session> repository,
            UserRepository users,
            CsrfTokenRepository csrfTokens) {
        this.repository = repository;
        this.users = users;
        this.csrfTokens = csrfTokens;
    }

    /** The enabled user of this request's session, if any; the session of a disabled user is ended. */
    Optional<User> signedInUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(USERNAME) instanceof String username)) {
            return Optional.empty();
        }
        Optional<User> user = users.findByUsername(username).filter(u -> !u.isDisabled());
        if (user.isEmpty()) {
            session.invalidate();
        }
        return user;
    }

    /**
     * Signs {@code user} in: any session the request came with is ended and a new one, with a new
     * id, is started (no session fixation), with a new CSRF token cookie.
     */
    void start(HttpServletRequest request, HttpServletResponse response, User user) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user.getUsername());
        session.setAttribute(USERNAME, user.getUsername());
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
    }

    /** Signs out: the session is deleted and the CSRF cookie cleared. */
    void end(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        csrfTokens.saveToken(null, request, response);
    }

    /** Ends every session of {@code username}, on every replica; returns how many there were. */
    public int endAll(String username) {
        return endAllBut(username, null);
    }

    /** Ends every session of {@code username} except {@code keep} (a session id, or null). */
    public int endAllBut(String username, String keep) {
        int ended = 0;
        for (String id : repository.findByPrincipalName(username).keySet()) {
            if (!id.equals(keep)) {
                repository.deleteById(id);
                ended++;
            }
        }
        return ended;
    }

    /** The current request's session id, if it has a session. */
    public Optional<String> currentId(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty() : Optional.of(session.getId());
    }

    /** Gives the current session a new id (after a password change), keeping it signed in. */
    public String renewId(HttpServletRequest request) {
        return request.changeSessionId();
    }
}
