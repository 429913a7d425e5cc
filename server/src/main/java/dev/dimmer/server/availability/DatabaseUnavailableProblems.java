package dev.dimmer.server.availability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers every "database unreachable" failure with 503 problem+json and {@code Retry-After}, wherever it is thrown:
 * in a controller or service (a {@link HandlerExceptionResolver} ahead of the general problem handler, which would
 * otherwise make it a 500) or in a filter before Spring MVC, such as authentication looking up a token (a servlet
 * filter ahead of Spring Security).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseUnavailableProblems {

    static final String TITLE = "Service unavailable";

    @Bean
    HandlerExceptionResolver databaseUnavailableResolver(DatabaseOutage outage) {
        return new Resolver(outage);
    }

    @Bean
    FilterRegistrationBean<OutageFilter> databaseUnavailableFilter(DatabaseOutage outage) {
        FilterRegistrationBean<OutageFilter> registration = new FilterRegistrationBean<>(new OutageFilter(outage));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10); // outside Spring Security (-100)
        registration.addUrlPatterns("/*");
        return registration;
    }

    static void write(HttpServletResponse response, DatabaseOutage outage) throws IOException {
        response.resetBuffer();
        response.setStatus(503);
        response.setHeader("Retry-After", Long.toString(outage.retryAfterSeconds()));
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + TITLE + "\",\"status\":503,\"detail\":"
                        + "\"the database cannot be reached; retry after " + outage.retryAfterSeconds()
                        + " seconds\"}");
    }

    static final class Resolver implements HandlerExceptionResolver, Ordered {

        private final DatabaseOutage outage;

        Resolver(DatabaseOutage outage) {
            this.outage = outage;
        }

        @Override
        public ModelAndView resolveException(
                HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
            if (!DatabaseUnavailable.isCause(ex) || response.isCommitted()) {
                return null;
            }
            outage.failed(ex);
            try {
                write(response, outage);
            } catch (IOException e) {
                return null;
            }
            return new ModelAndView();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 1; // after Boot's DefaultErrorAttributes, before the problem handler
        }
    }

    static final class OutageFilter extends OncePerRequestFilter {

        private final DatabaseOutage outage;

        OutageFilter(DatabaseOutage outage) {
            this.outage = outage;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } catch (ServletException | IOException | RuntimeException e) {
                if (!DatabaseUnavailable.isCause(e) || response.isCommitted()) {
                    throw e;
                }
                outage.failed(e);
                write(response, outage);
            }
        }
    }
}
