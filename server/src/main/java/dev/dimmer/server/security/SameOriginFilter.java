package dev.dimmer.server.security;

import dev.dimmer.server.system.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a browser's cross-origin write that could carry the console's session cookie: a
 * POST/PUT/PATCH/DELETE without a bearer token whose {@code Origin} (or, without one, whose
 * {@code Referer}) is neither this server's own origin nor one of
 * {@code dimmer.security.allowed-origins}. Requests with neither header are not from a browser
 * page and pass (the CSRF token still guards session writes). This is the second lock next to the
 * CSRF token; it also covers sign-in, which needs no token.
 *
 * <p>The server's own origin is the scheme, host and port the request arrived with, after a
 * trusted proxy's {@code X-Forwarded-*} headers were applied (docs/security.md, "Behind a proxy").
 */
final class SameOriginFilter extends OncePerRequestFilter {

    private final Set<String> allowedOrigins;

    SameOriginFilter(Set<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SecurityConfiguration.isSafeMethod(request)
                || Bearer.secretOf(request).isPresent();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        String source = origin != null ? origin : originOf(request.getHeader("Referer"));
        if (source != null && !isAllowed(normalise(source), request)) {
            Problems.write(
                    response,
                    403,
                    "Forbidden",
                    "cross-origin request refused: " + (origin != null ? "Origin" : "Referer") + " '" + source
                            + "' is not this server's origin");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean isAllowed(String origin, HttpServletRequest request) {
        return origin.equals(ownOrigin(request)) || allowedOrigins.contains(origin);
    }

    /** {@code scheme://host[:port]} of a Referer URL; "null" (never equal to an origin) if unparsable. */
    private static String originOf(String referer) {
        if (referer == null) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "null";
            }
            return origin(uri.getScheme(), uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            return "null";
        }
    }

    static String normalise(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return origin;
            }
            return origin(uri.getScheme(), uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            return origin;
        }
    }

    private static String ownOrigin(HttpServletRequest request) {
        return origin(request.getScheme(), request.getServerName(), request.getServerPort());
    }

    private static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        boolean defaultPort = port == -1 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]"; // IPv6 literal
        }
        return s + "://" + h + (defaultPort ? "" : ":" + port);
    }
}
