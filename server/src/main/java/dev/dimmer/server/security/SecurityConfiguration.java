package dev.dimmer.server.security;

import dev.dimmer.server.system.Problems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what, decided by Spring Security before any controller runs.
 *
 * <p>Every request first passes Spring Security's {@code StrictHttpFirewall}: encoded {@code /},
 * {@code %} or {@code .}, {@code ;} (matrix parameters), {@code //}, {@code .}/{@code ..} segments,
 * backslashes and control characters are refused with a 400 problem. What is left is matched by
 * {@link PathPatternRequestMatcher}s, which parse the path exactly as Spring MVC's router does
 * (decoded segments), and case-insensitively, so no spelling of a path reaches a controller
 * without the rule written for it. Four chains, first match wins:
 *
 * <ol>
 *   <li>SDK API {@code /api/sdk/**}: an SDK key ({@link SdkKeyFilter}); stateless, no session,
 *       no CSRF — it is the hot path.
 *   <li>Admin API, everything else under {@code /api/**}: an admin token or a console session
 *       ({@link CredentialsFilter}). Only {@code POST /api/v1/session} (sign-in) is public.
 *       Paths under {@code /api/v1/projects/{project}} need a reader of that project. Writes with
 *       the session cookie need the CSRF token and a same-origin {@code Origin}.
 *   <li>Operations {@code /actuator/**} and {@code /v3/api-docs/**}: public are only the liveness
 *       and readiness probes; the rest needs an admin or metrics token (actuator) or any admin API
 *       caller (API document).
 *   <li>Everything else is the console's static files and client-side routes: GET and HEAD are
 *       public, any other method is refused.
 * </ol>
 * Deny by default: a new endpoint under {@code /api} or {@code /actuator} needs a credential
 * without anyone remembering to ask for one.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SignInProperties.class)
class SecurityConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** Matches paths as the router parses them, ignoring case (the router's is stricter, never looser). */
    private static final PathPatternRequestMatcher.Builder PATHS =
            PathPatternRequestMatcher.withPathPatternParser(caseInsensitive());

    static final String CSRF_COOKIE = "XSRF-TOKEN";
    static final String CSRF_HEADER = "X-XSRF-TOKEN";

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ActorArgumentResolver());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** The double-submit CSRF cookie the console reads and echoes in {@value #CSRF_HEADER}. */
    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        CookieCsrfTokenRepository tokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        tokens.setCookieName(CSRF_COOKIE);
        tokens.setHeaderName(CSRF_HEADER);
        tokens.setCookiePath("/");
        tokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        return tokens;
    }

    /** Firewall refusals are problems too (400), never an HTML page. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> {
            log.debug("request rejected by the firewall: {}", e.getMessage());
            Problems.write(
                    response,
                    400,
                    "Bad request",
                    e.getMessage() + " (encoded '/', '%' or '.', ';', '//', '.' or '..' segments, backslashes"
                            + " and control characters are refused: send the plain, normalised path)");
        };
    }

    /**
     * Lets encoded slashes and backslashes ({@code %2F}, {@code %5C}) reach the firewall instead of
     * being refused by Tomcat with an HTML page: the firewall refuses them too, as a problem. (A
     * raw backslash or an encoded NUL is still refused by Tomcat's own parser.)
     */
    @Bean
    TomcatConnectorCustomizer firewallDecidesOnEncodedSeparators() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain sdkApi(HttpSecurity http, SdkKeyCache keys) throws Exception {
        http.securityMatcher(PATHS.matcher("/api/sdk/**"))
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(servletApi -> servletApi.disable())
                .logout(logout -> logout.disable())
                .sessionManagement(sessions -> sessions.disable())
                .securityContext(
                        context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new SdkKeyFilter(keys), ExceptionTranslationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                                unauthorized("send 'Authorization: Bearer <SDK key>'"))
                        .accessDeniedHandler(forbidden("admin tokens do not open the SDK API; use an SDK key")))
                .authorizeHttpRequests(
                        requests -> requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                                .permitAll()
                                .anyRequest()
                                .hasAuthority(CallerAuthentication.SDK));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain adminApi(
            HttpSecurity http,
            Authenticator authenticator,
            ConsoleSessions sessions,
            CsrfTokenRepository csrfTokens,
            @Value("${dimmer.security.allowed-origins:}") String allowedOrigins)
            throws Exception {
        http.securityMatcher(PATHS.matcher("/api/**"));
        stateless(http)
                // The plain handler: the console echoes the cookie's value as is (the token is never
                // in a response body, so BREACH masking buys nothing), and the token stays deferred,
                // so bearer-token callers never get a cookie (CsrfCookieFilter sets it for sessions).
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(SecurityConfiguration::isSessionWrite)
                        .ignoringRequestMatchers(PATHS.matcher(HttpMethod.POST, "/api/v1/session")))
                .addFilterBefore(new CredentialsFilter(authenticator, sessions), CsrfFilter.class)
                .addFilterBefore(new SameOriginFilter(origins(allowedOrigins)), CsrfFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                                unauthorized("send 'Authorization: Bearer <admin token>' or sign in"))
                        .accessDeniedHandler(forbidden(null)))
                .authorizeHttpRequests(
                        requests -> requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                                .permitAll()
                                .requestMatchers(PATHS.matcher(HttpMethod.POST, "/api/v1/session"))
                                .permitAll()
                                .requestMatchers(
                                        PATHS.matcher("/api/v1/projects/{project}"),
                                        PATHS.matcher("/api/v1/projects/{project}/**"))
                                .access(readerOfProject())
                                .anyRequest()
                                .access(adminApiCaller()));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain operations(HttpSecurity http, Authenticator authenticator, ConsoleSessions sessions)
            throws Exception {
        http.securityMatcher(new OrRequestMatcher(PATHS.matcher("/actuator/**"), PATHS.matcher("/v3/api-docs/**")));
        stateless(http)
                .csrf(csrf -> csrf.disable()) // read-only: every other method is refused below
                .addFilterBefore(new CredentialsFilter(authenticator, sessions), ExceptionTranslationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized(
                                "send 'Authorization: Bearer <admin or metrics token>' (the API document also"
                                        + " opens with any admin API token or a console session)"))
                        .accessDeniedHandler(
                                forbidden("operational endpoints need an admin or metrics token (GET only)")))
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(request -> !isRead(request))
                        .denyAll()
                        .requestMatchers(
                                PATHS.matcher("/actuator/health/liveness"), PATHS.matcher("/actuator/health/readiness"))
                        .permitAll()
                        .requestMatchers(PATHS.matcher("/v3/api-docs/**"))
                        .access(adminApiCaller())
                        .anyRequest()
                        .hasAnyRole(Role.ADMIN.name(), Role.METRICS.name()));
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        http.securityMatcher(request -> true);
        stateless(http)
                .csrf(csrf -> csrf.disable()) // nothing here can be written
                .headers(headers -> headers.cacheControl(cache -> cache.disable())) // the console sets its own
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
                    Problems.write(
                            response,
                            405,
                            "Method not allowed",
                            "only GET and HEAD are served outside /api; the admin API is under /api/v1");
                }))
                .authorizeHttpRequests(
                        requests -> requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                                .permitAll()
                                .requestMatchers(SecurityConfiguration::isRead)
                                .permitAll()
                                .anyRequest()
                                .denyAll());
        return http.build();
    }

    /**
     * No security context in the session, no saved requests, no session management filter (it
     * would take every session-authenticated request for a fresh sign-in and change the session's
     * id): sessions are {@link ConsoleSessions}' business, and each request authenticates anew.
     */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .securityContext(
                        context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
    }

    /** GET and HEAD: all that the console and the operational endpoints serve. */
    private static boolean isRead(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    /** The methods a browser may send cross-site without a preflight and that must not change anything. */
    static boolean isSafeMethod(HttpServletRequest request) {
        String method = request.getMethod();
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
    }

    /** A write authenticated by the session cookie: it needs the CSRF token. */
    private static boolean isSessionWrite(HttpServletRequest request) {
        return !isSafeMethod(request) && viaSession();
    }

    static boolean viaSession() {
        Authentication authentication =
                SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        return authentication instanceof CallerAuthentication caller && caller.viaSession();
    }

    /** Admin API: people and admin tokens of any role; not SDK keys, not metrics tokens. */
    private static AuthorizationManager<RequestAuthorizationContext> adminApiCaller() {
        return (authentication, context) ->
                new AuthorizationDecision(actorOf(authentication.get()) instanceof Actor actor
                        && actor.role().opensAdminApi());
    }

    /** Anything under {@code /api/v1/projects/{project}}: a reader of that project (writes check more). */
    private static AuthorizationManager<RequestAuthorizationContext> readerOfProject() {
        return (authentication, context) -> {
            if (!(actorOf(authentication.get()) instanceof Actor actor)
                    || !actor.role().opensAdminApi()) {
                return new AuthorizationDecision(false);
            }
            String project = context.getVariables().get("project");
            return actor.canRead(project)
                    ? new AuthorizationDecision(true)
                    : new Refusal(
                            actor.name() + " (" + actor.role().wireName() + ") may not read project '" + project + "'");
        };
    }

    private static Object actorOf(Authentication authentication) {
        return authentication == null ? null : authentication.getPrincipal();
    }

    /** A denial that says why, for the 403 problem's detail. */
    private static final class Refusal extends AuthorizationDecision {

        private final String reason;

        Refusal(String reason) {
            super(false);
            this.reason = reason;
        }
    }

    private static AuthenticationEntryPoint unauthorized(String detail) {
        return (request, response, e) -> Problems.write(response, 401, "Unauthorized", detail);
    }

    /** {@code toActors}: what a person or admin token is told in this chain (null: its name and role). */
    private static AccessDeniedHandler forbidden(String toActors) {
        return (request, response, e) -> Problems.write(response, 403, "Forbidden", reasonFor(e, toActors));
    }

    private static String reasonFor(Exception e, String toActors) {
        if (e instanceof CsrfException) {
            return "a console session's writes need the CSRF token: send the " + CSRF_COOKIE + " cookie's value in"
                    + " the " + CSRF_HEADER + " header";
        }
        if (e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof Refusal refusal) {
            return refusal.reason;
        }
        Object principal = actorOf(
                SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication());
        if (principal instanceof SdkCaller) {
            return "SDK keys open only the SDK API (/api/sdk/v1); use an admin token";
        }
        if (principal instanceof Actor actor && actor.role() == Role.METRICS) {
            return "metrics tokens open only /actuator (metrics, Prometheus, health details)";
        }
        if (principal instanceof Actor actor && toActors == null) {
            return actor.name() + " (" + actor.role().wireName() + ") may not do this";
        }
        return toActors == null ? "not allowed" : toActors;
    }

    private static Set<String> origins(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .map(SameOriginFilter::normalise)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static PathPatternParser caseInsensitive() {
        PathPatternParser parser = new PathPatternParser();
        parser.setCaseSensitive(false);
        return parser;
    }
}
