package dev.dimmer.server.availability;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * PostgreSQL goes away (a proxy in front of it closes every connection and refuses new ones) and comes back:
 * admin calls answer 503 problem+json with Retry-After instead of a 500 after 30 s, SDK snapshots (200 and 304)
 * are served from memory, health reports the database DOWN and the change feed OUT_OF_SERVICE, and everything
 * recovers once the database is reachable again.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "DIMMER_ADMIN_TOKEN=" + Api.ADMIN_TOKEN,
            "dimmer.sdk-keys.cache-seconds=1",
            "spring.datasource.hikari.connection-timeout=1000",
            "dimmer.database.retry-after-seconds=2"
        })
@ContextConfiguration(initializers = DatabaseOutageTests.ThroughProxy.class)
class DatabaseOutageTests {

    static TcpProxy proxy;

    /** A fresh database, reached only through {@link #proxy}. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestDatabase database = TestDatabase.create();
            Matcher url =
                    Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/(.*)$").matcher(database.jdbcUrl());
            if (!url.matches()) {
                throw new IllegalStateException("unexpected test database URL " + database.jdbcUrl());
            }
            proxy = TcpProxy.start(url.group(1), Integer.parseInt(url.group(2)));
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "dimmerProxiedDatabase",
                            Map.of(
                                    "spring.datasource.url",
                                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
                                    "spring.datasource.username",
                                    database.username(),
                                    "spring.datasource.password",
                                    database.password())));
        }
    }

    @AfterAll
    static void stopProxy() throws Exception {
        proxy.restore(); // let the context close cleanly later
    }

    @LocalServerPort
    int port;

    @Autowired
    HealthEndpoint health;

    @Test
    void databaseOutage_adminGets503WithRetryAfter_sdkSnapshotsComeFromMemory_andEverythingRecovers() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        Fixtures.flag(admin, project, "checkout");
        Api sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Api.Response first = expect(sdk.get("/api/sdk/v1/snapshot"), 200);
        String etag = first.header("ETag");
        assertThat(first.text()).contains("checkout");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> health.healthForPath("changeFeed").getStatus().equals(Status.UP));

        proxy.cut();

        Api.Response refused = admin.get("/api/v1/projects");
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        assertThat(refused.json().get("status").asInt()).isEqualTo(503);
        Api.Response write = admin.post("/api/v1/projects", Map.of("key", Api.uniqueKey("p"), "name", "x"));
        assertThat(write.status()).as(write.text()).isEqualTo(503);
        assertThat(write.header("Retry-After")).isEqualTo("2");

        // The SDK key's cache entry (1 s) has expired by now: it is kept while the database is away.
        Api.Response notModified = sdk.withHeader("If-None-Match", etag).get("/api/sdk/v1/snapshot");
        assertThat(notModified.status()).as(notModified.text()).isEqualTo(304);
        Api.Response full = sdk.get("/api/sdk/v1/snapshot");
        assertThat(full.status()).as(full.text()).isEqualTo(200);
        assertThat(full.header("ETag")).isEqualTo(etag);
        assertThat(full.text()).isEqualTo(first.text());

        // Thrown in a controller (not a filter): the same 503 problem, and the SDK will keep the batch queued.
        Api.Response ingest = sdk.post(
                "/api/sdk/v1/events",
                IngestFixtures.events(
                        "during-outage",
                        java.util.List.of(IngestFixtures.event("k", "t", 1, java.time.Instant.now()))));
        assertThat(ingest.status()).as(ingest.text()).isEqualTo(503);
        assertThat(ingest.header("Content-Type")).startsWith("application/problem+json");
        assertThat(ingest.header("Retry-After")).isEqualTo("2");

        assertThat(health.healthForPath("db").getStatus()).isEqualTo(Status.DOWN);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> health.healthForPath("changeFeed").getStatus().equals(Status.OUT_OF_SERVICE));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        Api.Response readiness = admin.as(null).get("/actuator/health/readiness");
        assertThat(readiness.status())
                .as("readiness stays UP: snapshots are still served")
                .isEqualTo(200);

        proxy.restore();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> admin.get("/api/v1/projects").status() == 200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> health.health().getStatus().equals(Status.UP));
        expect(sdk.withHeader("If-None-Match", etag).get("/api/sdk/v1/snapshot"), 304);
        // A change after the outage reaches the SDK again (the feed reconnected).
        expect(admin.post("/api/v1/projects/" + project + "/environments/production/flags/checkout/kill", null), 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sdk.withHeader("If-None-Match", etag)
                                .get("/api/sdk/v1/snapshot")
                                .status()
                        == 200);
    }
}
