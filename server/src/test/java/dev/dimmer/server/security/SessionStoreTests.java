package dev.dimmer.server.security;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Console sessions live in PostgreSQL: a session started on one server is valid on another server
 * of the same database (a replica behind a load balancer), and on a server started afresh (a
 * restart); signing out on one ends it on all.
 */
@IntegrationTest
class SessionStoreTests {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Test
    void aSessionIsSeenByEveryServerOfTheDatabaseAndSurvivesARestart() {
        Api admin = Api.admin(port);
        String username = Api.uniqueKey("replica");
        expect(
                admin.post(
                        "/api/v1/users",
                        Map.of(
                                "username",
                                username,
                                "password",
                                "correct horse battery",
                                "role",
                                "viewer",
                                "projects",
                                List.of("*"))),
                201);
        Browser here = new Browser(port);
        expect(here.signIn(username, "correct horse battery"), 200);
        String session = here.cookie("DIMMER_SESSION");
        String csrf = here.cookie("XSRF-TOKEN");

        try (ConfigurableApplicationContext replica = startServerOnTheSameDatabase()) {
            Browser there = browserOn(replica, session, csrf);
            assertThat(expect(there.get("/api/v1/session"), 200)
                            .json()
                            .get("actor")
                            .asString())
                    .isEqualTo("user:" + username);
        }
        // A server started afresh on the same database: the same session still works.
        try (ConfigurableApplicationContext restarted = startServerOnTheSameDatabase()) {
            Browser there = browserOn(restarted, session, csrf);
            expect(there.get("/api/v1/projects"), 200);
            // Signing out there ends the session here too.
            expect(there.write("DELETE", "/api/v1/session", null), 204);
        }
        expect(here.get("/api/v1/session"), 401);
    }

    private ConfigurableApplicationContext startServerOnTheSameDatabase() {
        return new SpringApplicationBuilder(DimmerApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN");
    }

    private static Browser browserOn(ConfigurableApplicationContext server, String session, String csrf) {
        Browser browser = new Browser(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
        browser.setCookie("DIMMER_SESSION", session);
        browser.setCookie("XSRF-TOKEN", csrf);
        return browser;
    }
}
