package dev.dimmer.server.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} or a new one), echoes it, puts it
 * in the log context, and logs one line per admin API call naming the actor, so "who changed
 * this and what did the server say" is one grep away. SDK traffic is not logged per request:
 * at thousands of requests a second it would drown everything else.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("dimmer.requests");
    static final String REQUEST_ID = "X-Request-Id";

    /** Set by authentication to the actor's name, for the request line. */
    public static final String ACTOR_NAME_ATTRIBUTE = "dimmer.actorName";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(REQUEST_ID);
        if (requestId == null || requestId.isBlank() || requestId.length() > 100) {
            // Not UUID.randomUUID(): its SecureRandom is a shared lock on the SDK hot paths.
            requestId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        }
        response.setHeader(REQUEST_ID, requestId);
        MDC.put("requestId", requestId);
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getRequestURI().startsWith("/api/v1/")) {
                Object actor = request.getAttribute(ACTOR_NAME_ATTRIBUTE);
                log.info(
                        "{} {} -> {} in {} ms by {}",
                        request.getMethod(),
                        request.getRequestURI(),
                        response.getStatus(),
                        (System.nanoTime() - start) / 1_000_000,
                        actor == null ? "anonymous" : actor);
            }
            MDC.remove("requestId");
        }
    }
}
