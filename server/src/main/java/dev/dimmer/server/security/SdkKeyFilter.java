package dev.dimmer.server.security;

import dev.dimmer.server.system.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /api/sdk/v1} calls in the SDK filter chain: the bearer secret is looked up
 * in the {@link SdkKeyCache} (no database round trip per request on the snapshot 304 path). An
 * SDK key becomes an {@link SdkCaller}; an admin token is authenticated too, so that the chain's
 * authorization can answer it 403 rather than 401. Unknown secrets are refused here with 401; a
 * missing one is left to the chain's entry point.
 */
final class SdkKeyFilter extends OncePerRequestFilter {

    private final SdkKeyCache keys;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    SdkKeyFilter(SdkKeyCache keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> secret = Bearer.secretOf(request);
        if (secret.isPresent()) {
            Optional<ApiKey> key = keys.find(secret.get());
            if (key.isEmpty()) {
                Problems.write(response, 401, "Unauthorized", "the SDK key is unknown or revoked");
                return;
            }
            CallerAuthentication authentication;
            if (ApiKey.SDK.equals(key.get().getKind())) {
                SdkCaller caller = new SdkCaller(key.get().getId(), key.get().getEnvironmentId());
                request.setAttribute(SdkCaller.ATTRIBUTE, caller);
                authentication = CallerAuthentication.of(caller);
            } else {
                authentication = CallerAuthentication.of(Authenticator.actorOf(key.get()), false);
            }
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(authentication);
            contexts.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
