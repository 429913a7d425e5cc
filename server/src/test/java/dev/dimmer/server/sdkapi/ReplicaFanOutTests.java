package dev.dimmer.server.sdkapi;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.EventStream;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Two replicas on one database: a change made through A reaches an SDK streaming from B. */
@IntegrationTest
class ReplicaFanOutTests {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Test
    void aChangeOnOneReplicaReachesAStreamOnTheOther() throws Exception {
        try (ConfigurableApplicationContext replicaB = new SpringApplicationBuilder(DimmerApplication.class)
                .run(
                        // Command-line arguments: they outrank application.properties, unlike builder defaults.
                        "--server.port=0",
                        "--spring.datasource.url=" + databaseUrl,
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--dimmer.sdk.stream.heartbeat-seconds=1")) {
            int portB = Integer.parseInt(replicaB.getEnvironment().getProperty("local.server.port"));
            Api viaA = Api.admin(port);
            String project = Fixtures.project(viaA);
            Fixtures.flag(viaA, project, "fan-out");
            String sdkKey = expect(
                            viaA.post(
                                    "/api/v1/projects/" + project + "/environments/production/sdk-keys",
                                    Map.of("name", "svc")),
                            201)
                    .json()
                    .get("key")
                    .asString();
            long current = new Api(portB, sdkKey)
                    .get("/api/sdk/v1/snapshot")
                    .json()
                    .get("changeNumber")
                    .asLong();

            try (EventStream onB = new EventStream("http://127.0.0.1:" + portB + "/api/sdk/v1/stream", sdkKey)) {
                assertThat(onB.await("\"changeNumber\":" + current, Duration.ofSeconds(5)))
                        .isNotNull();
                expect(
                        viaA.post("/api/v1/projects/" + project + "/environments/production/flags/fan-out/kill", null),
                        200);
                assertThat(onB.await("\"changeNumber\":" + (current + 1), Duration.ofSeconds(5)))
                        .as("the change made on A reaches the stream on B")
                        .isNotNull();
                assertThat(onB.await(":heartbeat", Duration.ofSeconds(5)))
                        .as("heartbeats keep the stream alive")
                        .isNotNull();
            }
            assertThat(new Api(portB, sdkKey)
                            .get("/api/sdk/v1/snapshot")
                            .json()
                            .get("flags")
                            .get(0)
                            .get("killed")
                            .asBoolean())
                    .isTrue();
        }
    }
}
