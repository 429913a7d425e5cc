package dev.dimmer.server.security;

import dev.dimmer.server.system.RequestLogFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/v1} call needs an admin token ({@code Authorization: Bearer dat_…}) or a
 * console session. SDK keys are recognised and refused with 403: they only open the SDK API. The
 * resolved {@link Actor} is put on the request (and in the log context) for controllers and the
 * audit log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

    static final String ACTOR_ATTRIBUTE = Actor.class.getName();
    static final String SESSION_USER = "dimmer.user";

    private final Authenticator authenticator;

    AuthenticationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/v1/") || isLogin(request, path);
    }

    private static boolean isLogin(HttpServletRequest request, String path) {
        return path.equals("/api/v1/session") && "POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> bearer = Bearer.secretOf(request);
        Actor actor;
        if (bearer.isPresent()) {
            Optional<ApiKey> key = authenticator.activeKey(bearer.get());
            if (key.isEmpty()) {
                Problems.write(response, 401, "Unauthorized", "the bearer token is unknown or revoked");
                return;
            }
            if (ApiKey.SDK.equals(key.get().getKind())) {
                Problems.write(
                        response, 403, "Forbidden", "SDK keys open only the SDK API (/api/sdk/v1); use an admin token");
                return;
            }
            actor = Authenticator.actorOf(key.get());
        } else {
            HttpSession session = request.getSession(false);
            Object signedIn = session == null ? null : session.getAttribute(SESSION_USER);
            if (!(signedIn instanceof Actor sessionActor)) {
                Problems.write(response, 401, "Unauthorized", "send 'Authorization: Bearer <admin token>' or sign in");
                return;
            }
            actor = sessionActor;
        }
        request.setAttribute(ACTOR_ATTRIBUTE, actor);
        request.setAttribute(RequestLogFilter.ACTOR_NAME_ATTRIBUTE, actor.name());
        MDC.put("actor", actor.name());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("actor");
        }
    }
}
