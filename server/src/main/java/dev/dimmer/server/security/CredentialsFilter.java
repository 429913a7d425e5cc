package dev.dimmer.server.security;

import dev.dimmer.server.system.Problems;
import dev.dimmer.server.system.RequestLogFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates admin API and operations calls: {@code Authorization: Bearer <secret>} (admin
 * token, metrics token — or an SDK key, so that authorization can answer it 403) or else a
 * console session. It only says who is calling; what they may do is the filter chain's
 * authorization, decided on the same parsed path the router uses.
 *
 * <p>A session names a user, who is read again on every request: a disabled user's session stops
 * working at once, on every replica, and role or project changes apply to the next request.
 */
final class CredentialsFilter extends OncePerRequestFilter {

    private final Authenticator authenticator;
    private final ConsoleSessions sessions;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    CredentialsFilter(Authenticator authenticator, ConsoleSessions sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CallerAuthentication authentication;
        Optional<String> bearer = Bearer.secretOf(request);
        if (bearer.isPresent()) {
            Optional<ApiKey> key = authenticator.activeKey(bearer.get());
            if (key.isEmpty()) {
                Problems.write(response, 401, "Unauthorized", "the bearer token is unknown or revoked");
                return;
            }
            authentication = ApiKey.SDK.equals(key.get().getKind())
                    ? CallerAuthentication.of(
                            new SdkCaller(key.get().getId(), key.get().getEnvironmentId()))
                    : CallerAuthentication.of(Authenticator.actorOf(key.get()), false);
        } else {
            authentication = sessions.signedInUser(request)
                    .map(user -> CallerAuthentication.of(Authenticator.actorOf(user), true))
                    .orElse(null);
        }
        if (authentication == null) {
            chain.doFilter(request, response);
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authentication);
        contexts.setContext(context);
        request.setAttribute(RequestLogFilter.ACTOR_NAME_ATTRIBUTE, authentication.getName());
        MDC.put("actor", authentication.getName());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("actor");
        }
    }
}
