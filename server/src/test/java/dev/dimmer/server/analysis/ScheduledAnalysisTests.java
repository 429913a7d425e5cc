package dev.dimmer.server.analysis;

import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The job as scheduled: every second here (and trusting a run right after new data: settle 0). */
@IntegrationTest
@TestPropertySource(properties = {"dimmer.analysis.interval=PT1S", "dimmer.analysis.settle=PT0S"})
class ScheduledAnalysisTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theScheduledJobAnalysesNewExposureAndKeepsHistory() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        Api sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Fixtures.flag(admin, project, "checkout");
        long env = IngestFixtures.environmentId(jdbc, project, "production");
        long flag = jdbc.queryForObject(
                "SELECT f.id FROM flags f JOIN projects p ON p.id = f.project_id WHERE p.key = ? AND f.key = 'checkout'",
                Long.class,
                project);
        Instant now = Instant.now();

        send(sdk, impression("checkout", "a", "off", "default rule", now));
        assertThat(awaitRuns(env, flag, n -> n >= 1)).isEqualTo(1);

        send(sdk, impression("checkout", "b", "on", "default rule", now));
        long runs = awaitRuns(env, flag, n -> n >= 2);
        assertThat(runs).isGreaterThanOrEqualTo(2);

        // nothing new: later runs skip the flag, so its history stops growing
        Thread.sleep(2500);
        long settled = runs(env, flag);
        Thread.sleep(2500);
        assertThat(runs(env, flag)).isEqualTo(settled);

        var report = expect(
                        admin.get("/api/v1/projects/" + project + "/environments/production/flags/checkout/report"),
                        200)
                .json();
        assertThat(report.get("arms").size()).isEqualTo(2);
    }

    private static void send(Api sdk, Object impression) {
        expect(
                sdk.post(
                        "/api/sdk/v1/impressions", impressions(UUID.randomUUID().toString(), List.of(impression))),
                202);
    }

    private long awaitRuns(long env, long flag, LongPredicate done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long n = runs(env, flag);
        while (!done.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            n = runs(env, flag);
        }
        return n;
    }

    private long runs(long env, long flag) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM analysis_runs WHERE environment_id = ? AND flag_id = ?", Long.class, env, flag);
    }
}
