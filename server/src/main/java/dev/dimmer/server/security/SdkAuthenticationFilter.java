package dev.dimmer.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Every {@code /api/sdk/v1} call needs an SDK key; it decides the environment the call is about. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class SdkAuthenticationFilter extends OncePerRequestFilter {

    private final SdkKeyCache keys;

    SdkAuthenticationFilter(SdkKeyCache keys) {
        this.keys = keys;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI()
                .substring(request.getContextPath().length())
                .startsWith("/api/sdk/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> secret = Bearer.secretOf(request);
        if (secret.isEmpty()) {
            Problems.write(response, 401, "Unauthorized", "send 'Authorization: Bearer <SDK key>'");
            return;
        }
        Optional<ApiKey> key = keys.find(secret.get());
        if (key.isEmpty()) {
            Problems.write(response, 401, "Unauthorized", "the SDK key is unknown or revoked");
            return;
        }
        if (!ApiKey.SDK.equals(key.get().getKind())) {
            Problems.write(response, 403, "Forbidden", "admin tokens do not open the SDK API; use an SDK key");
            return;
        }
        request.setAttribute(
                SdkCaller.ATTRIBUTE, new SdkCaller(key.get().getId(), key.get().getEnvironmentId()));
        chain.doFilter(request, response);
    }
}
