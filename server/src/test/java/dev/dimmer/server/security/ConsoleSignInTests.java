package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 10 finding 7: console sign-in throttling and lockout, constant-cost answers for unknown
 * users, disabling users, password changes and ending sessions, CSRF and Origin checks on
 * cookie-authenticated writes, the Secure cookie behind TLS, session fixation. The client address
 * of each test is its own ({@code X-Forwarded-For} from a trusted proxy, here the loopback), so the
 * per-address limit of one test does not touch another.
 */
@IntegrationTest
class ConsoleSignInTests {

    private static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    Api admin;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
    }

    @Test
    void aUsernameIsLockedAfterFiveFailuresWhateverTheAddress() {
        String username = user("viewer", List.of());
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(username, "wrong password " + i, newAddress()).status())
                    .isEqualTo(401);
        }
        Api.Response locked = signIn(username, PASSWORD, newAddress());
        assertThat(locked.status()).as("locked even with the right password").isEqualTo(423);
        assertThat(locked.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 15 * 60L);
        assertThat(locked.json().get("detail").asString()).contains("locked");

        // Another username is not affected.
        assertThat(signIn(user("viewer", List.of()), PASSWORD, newAddress()).status())
                .isEqualTo(200);
        // An admin's password reset lifts the lock.
        expect(admin.put("/api/v1/users/" + username + "/password", Map.of("password", "a brand new password")), 204);
        assertThat(signIn(username, "a brand new password", newAddress()).status())
                .isEqualTo(200);
    }

    @Test
    void anAddressIsRefusedAfterTwentyFailuresWhateverTheUsername() {
        String address = newAddress();
        for (int i = 0; i < 20; i++) {
            assertThat(signIn("nobody-" + i, "wrong password", address).status())
                    .isEqualTo(401);
        }
        String username = user("viewer", List.of());
        Api.Response refused = signIn(username, PASSWORD, address);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 15 * 60L);
        assertThat(signIn(username, PASSWORD, newAddress()).status())
                .as("the same user from elsewhere")
                .isEqualTo(200);
    }

    @Test
    void anUnknownUserCostsOneBcryptVerificationLikeAWrongPassword() {
        String username = user("viewer", List.of());
        assertThat(checksDuring(() -> signIn(Api.uniqueKey("ghost"), PASSWORD, newAddress())))
                .isEqualTo(1);
        assertThat(checksDuring(() -> signIn(username, "wrong password", newAddress())))
                .isEqualTo(1);
        assertThat(checksDuring(() -> signIn("Robert'); DROP TABLE users;--", PASSWORD, newAddress())))
                .isEqualTo(1);
        assertThat(checksDuring(() -> signIn(username, "x".repeat(10_000), newAddress())))
                .isEqualTo(1);

        // And the time agrees: the median unknown-user answer is not much faster than the median
        // wrong-password one (they were 10 ms and 160 ms before). Generous bound: this machine is noisy.
        List<Long> unknown = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String known = user("viewer", List.of());
            long start = System.nanoTime();
            assertThat(signIn(Api.uniqueKey("ghost"), PASSWORD, newAddress()).status())
                    .isEqualTo(401);
            unknown.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(signIn(known, "wrong password", newAddress()).status()).isEqualTo(401);
            wrong.add(System.nanoTime() - start);
        }
        assertThat((double) median(unknown))
                .as("unknown %s vs wrong password %s (ns)", unknown, wrong)
                .isGreaterThan(0.5 * median(wrong));
    }

    @Test
    void aDisabledUserIsRefusedAndTheirSessionsEnd() {
        String username = user("viewer", List.of());
        Browser browser = new Browser(port);
        expect(browser.signIn(username, PASSWORD), 200);
        expect(browser.get("/api/v1/session"), 200);
        assertThat(sessionsOf(username)).isEqualTo(1);

        var disabled = expect(admin.patch("/api/v1/users/" + username, Map.of("disabled", true)), 200);
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        assertThat(sessionsOf(username)).isZero();
        expect(browser.get("/api/v1/session"), 401);
        expect(new Browser(port).signIn(username, PASSWORD), 401);
        assertThat(admin.get("/api/v1/audit?actor=token:bootstrap").text()).contains("\"action\":\"disable\"");

        expect(admin.patch("/api/v1/users/" + username, Map.of("disabled", false)), 200);
        expect(new Browser(port).signIn(username, PASSWORD), 200);
    }

    @Test
    void aSessionOfADisabledUserIsRefusedEvenIfItWasNotDeleted() {
        String username = user("viewer", List.of());
        Browser browser = new Browser(port);
        expect(browser.signIn(username, PASSWORD), 200);
        jdbc.update("UPDATE users SET disabled_at = now() WHERE username = ?", username);
        expect(browser.get("/api/v1/session"), 401);
    }

    @Test
    void anAdminResetsAPasswordAndEndsSessions() {
        String username = user("editor", List.of());
        Browser first = new Browser(port);
        Browser second = new Browser(port);
        expect(first.signIn(username, PASSWORD), 200);
        expect(second.signIn(username, PASSWORD), 200);

        var ended = expect(admin.delete("/api/v1/users/" + username + "/sessions"), 200);
        assertThat(ended.json().get("ended").asInt()).isEqualTo(2);
        expect(first.get("/api/v1/session"), 401);
        expect(second.get("/api/v1/session"), 401);

        expect(first.signIn(username, PASSWORD), 200);
        expect(admin.put("/api/v1/users/" + username + "/password", Map.of("password", "short")), 400);
        expect(admin.put("/api/v1/users/" + username + "/password", Map.of("password", "é".repeat(40))), 400);
        expect(admin.put("/api/v1/users/" + username + "/password", Map.of("password", "another long password")), 204);
        expect(first.get("/api/v1/session"), 401);
        expect(new Browser(port).signIn(username, PASSWORD), 401);
        expect(new Browser(port).signIn(username, "another long password"), 200);
        expect(admin.put("/api/v1/users/nobody-here/password", Map.of("password", "another long password")), 404);
    }

    @Test
    void aUserChangesTheirOwnPasswordAndTheirOtherSessionsEnd() {
        String username = user("viewer", List.of());
        Browser here = new Browser(port);
        Browser elsewhere = new Browser(port);
        expect(here.signIn(username, PASSWORD), 200);
        expect(elsewhere.signIn(username, PASSWORD), 200);
        String sessionBefore = here.cookie("DIMMER_SESSION");

        var wrong = here.write(
                "PUT",
                "/api/v1/session/password",
                Map.of("currentPassword", "not it at all", "newPassword", "my new long password"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/currentPassword");
        expect(
                here.write(
                        "PUT", "/api/v1/session/password", Map.of("currentPassword", PASSWORD, "newPassword", "short")),
                400);

        expect(
                here.write(
                        "PUT",
                        "/api/v1/session/password",
                        Map.of("currentPassword", PASSWORD, "newPassword", "my new long password")),
                204);
        expect(here.get("/api/v1/session"), 200);
        assertThat(here.cookie("DIMMER_SESSION")).as("a new session id").isNotEqualTo(sessionBefore);
        expect(elsewhere.get("/api/v1/session"), 401);
        expect(new Browser(port).signIn(username, PASSWORD), 401);
        expect(new Browser(port).signIn(username, "my new long password"), 200);

        // Tokens have no password to change.
        expect(admin.put("/api/v1/session/password", Map.of("currentPassword", "x", "newPassword", "y")), 403);
    }

    @Test
    void signingInStartsANewSessionSoAPlantedSessionIdIsUseless() {
        String attacker = user("viewer", List.of());
        String victim = user("admin", List.of());
        Browser browser = new Browser(port);
        expect(browser.signIn(attacker, PASSWORD), 200);
        String planted = browser.cookie("DIMMER_SESSION");

        expect(browser.signIn(victim, PASSWORD), 200);
        assertThat(browser.cookie("DIMMER_SESSION")).isNotEqualTo(planted);
        Browser attackerBrowser = new Browser(port);
        attackerBrowser.setCookie("DIMMER_SESSION", planted);
        expect(attackerBrowser.get("/api/v1/session"), 401);
        assertThat(browser.get("/api/v1/session").json().get("actor").asString())
                .isEqualTo("user:" + victim);
    }

    @Test
    void cookieAuthenticatedWritesNeedTheCsrfTokenAndTheConsolesOrigin() {
        String project = Fixtures.project(admin);
        Fixtures.flag(admin, project, "checkout");
        String flag = "/api/v1/projects/" + project + "/environments/production/flags/checkout";
        String username = user("editor", List.of(project));
        Browser browser = new Browser(port);
        expect(browser.signIn(username, PASSWORD), 200);
        String token = browser.cookie("XSRF-TOKEN");
        assertThat(token).isNotBlank();

        // A text/plain form POST from another site: no CSRF header, a foreign Origin.
        var forged = browser.send(
                "POST",
                flag + "/kill",
                "anything",
                Map.of("Content-Type", "text/plain", "Origin", "https://evil.example"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
        // Even with the token (say it leaked), a foreign Origin or Referer is refused.
        assertThat(browser.send(
                                "POST",
                                flag + "/kill",
                                null,
                                Map.of("X-XSRF-TOKEN", token, "Origin", "https://evil.example"))
                        .status())
                .isEqualTo(403);
        assertThat(browser.send(
                                "POST",
                                flag + "/kill",
                                null,
                                Map.of("X-XSRF-TOKEN", token, "Referer", "https://evil.example/page"))
                        .status())
                .isEqualTo(403);
        assertThat(browser.send("POST", flag + "/kill", null, Map.of("Origin", "null", "X-XSRF-TOKEN", token))
                        .status())
                .isEqualTo(403);
        // Same origin but no token, or a wrong one.
        var noToken = browser.send("POST", flag + "/kill", null, Map.of("Origin", browser.origin()));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.json().get("detail").asString()).contains("X-XSRF-TOKEN");
        assertThat(browser.send(
                                "POST",
                                flag + "/kill",
                                null,
                                Map.of("Origin", browser.origin(), "X-XSRF-TOKEN", "guessed"))
                        .status())
                .isEqualTo(403);
        assertThat(admin.get(flag).json().get("killed").asBoolean())
                .as("no refused request killed the flag")
                .isFalse();

        // The console's own request: token and Origin.
        expect(browser.write("POST", flag + "/kill", null), 200);
        assertThat(admin.get(flag).json().get("killed").asBoolean()).isTrue();
        // Reads need no token; bearer-token writes need none either (and never get a CSRF cookie).
        expect(browser.get(flag), 200);
        var restored =
                expect(admin.withHeader("Origin", "https://elsewhere.example").post(flag + "/restore", null), 200);
        assertThat(restored.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("XSRF-TOKEN"));
        // Signing in from a foreign page is refused too (no login CSRF).
        assertThat(new Browser(port)
                        .send(
                                "POST",
                                "/api/v1/session",
                                Map.of("username", username, "password", PASSWORD),
                                Map.of("Origin", "https://evil.example"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void cookiesAreHttpOnlySameSiteStrictAndSecureWhenTheRequestCameOverTls() {
        String username = user("viewer", List.of());
        Browser browser = new Browser(port);
        Api.Response plain = browser.send(
                "POST",
                "/api/v1/session",
                Map.of("username", username, "password", PASSWORD),
                Map.of("X-Forwarded-For", newAddress()));
        assertThat(plain.status()).isEqualTo(200);
        String session = setCookie(plain, "DIMMER_SESSION");
        assertThat(session).contains("HttpOnly", "SameSite=Strict").doesNotContain("Secure");
        assertThat(setCookie(plain, "XSRF-TOKEN")).contains("SameSite=Strict").doesNotContain("HttpOnly");

        // Behind a TLS-terminating proxy (trusted: here the loopback) that says so.
        Api.Response tls = new Browser(port)
                .send(
                        "POST",
                        "/api/v1/session",
                        Map.of("username", username, "password", PASSWORD),
                        Map.of("X-Forwarded-Proto", "https", "X-Forwarded-For", newAddress()));
        assertThat(tls.status()).isEqualTo(200);
        assertThat(setCookie(tls, "DIMMER_SESSION")).contains("Secure", "HttpOnly", "SameSite=Strict");
        assertThat(setCookie(tls, "XSRF-TOKEN")).contains("Secure", "SameSite=Strict");
    }

    private String user(String role, List<String> projects) {
        String username = Api.uniqueKey("user");
        expect(
                admin.post(
                        "/api/v1/users",
                        Map.of("username", username, "password", PASSWORD, "role", role, "projects", projects)),
                201);
        return username;
    }

    private Api.Response signIn(String username, String password, String address) {
        return new Browser(port)
                .send(
                        "POST",
                        "/api/v1/session",
                        Map.of("username", username, "password", password),
                        Map.of("X-Forwarded-For", address));
    }

    private double checksDuring(Runnable signIn) {
        double before = meters.get("dimmer.sign_in.password_checks").counter().count();
        signIn.run();
        return meters.get("dimmer.sign_in.password_checks").counter().count() - before;
    }

    private int sessionsOf(String username) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM spring_session WHERE principal_name = ?", Integer.class, username);
    }

    private static String setCookie(Api.Response response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
    }

    /** A random client address of 198.18.0.0/15 (not a private range, which would count as a trusted proxy). */
    private static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198." + random.nextInt(18, 20) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
