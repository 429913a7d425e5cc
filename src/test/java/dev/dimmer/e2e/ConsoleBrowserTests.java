package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.ClassUtils;

/**
 * The web console in a real browser: Debian's Chromium, driven by playwright-core from {@code web-ui/e2e/console.e2e.mjs},
 * against two server replicas on one PostgreSQL database. The script signs in, creates a flag, adds a rule, ramps
 * it, kills it, reads the audit log and a report, sets up a team with a signed webhook, acknowledges an SRM alert the
 * real analysis cycle opened, reads a delivery log, starts a rollout plan, schedules and cancels a change, checks a
 * viewer, a stale If-Match and (once sessions live in PostgreSQL) the same session on the other replica; it runs axe-core on each screen, measures the first load and
 * writes screenshots under {@code target/console-e2e/}. {@code -Ddimmer.screenshots.update=true} also refreshes
 * {@code docs/images/}.
 */
class ConsoleBrowserTests {

    static final Path WEB_UI = Path.of("..", "..", "web-ui").toAbsolutePath().normalize();
    static final Path CHROMIUM = Path.of(System.getProperty("dimmer.chromium", "/usr/bin/chromium"));

    static DimmerServer replicaA;
    static DimmerServer replicaB;

    @BeforeAll
    static void startReplicas() {
        replicaA = SharedServers.replicaA();
        replicaB = SharedServers.replicaB();
    }

    @Test
    void theConsoleWorksInARealBrowserAcrossTwoReplicas() throws IOException, InterruptedException {
        assertThat(CHROMIUM)
                .as("Debian's Chromium is needed for the browser tests: apt-get install -y chromium (.ci/run does)")
                .exists();
        assertThat(WEB_UI.resolve("node_modules/playwright-core"))
                .as("web-ui/node_modules is installed by the web-ui module's `npm ci`")
                .exists();
        Path out = Path.of("target", "console-e2e").toAbsolutePath();
        Files.createDirectories(out);
        Path log = out.resolve("console-e2e.log");

        ProcessBuilder node = new ProcessBuilder(List.of("node", "e2e/console.e2e.mjs"))
                .directory(WEB_UI.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = node.environment();
        env.put("DIMMER_URL_A", replicaA.baseUrl());
        env.put("DIMMER_URL_B", replicaB.baseUrl());
        env.put("DIMMER_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        env.put("DIMMER_SESSION_SHARED", String.valueOf(sessionsLiveInTheDatabase()));
        env.put("DIMMER_E2E_OUT", out.toString());
        env.put("DIMMER_CHROMIUM", CHROMIUM.toString());
        if (Boolean.getBoolean("dimmer.screenshots.update")) {
            env.put(
                    "DIMMER_DOCS_IMAGES",
                    Path.of("..", "..", "docs", "images")
                            .toAbsolutePath()
                            .normalize()
                            .toString());
        }
        Process process = node.start();
        boolean finished = process.waitFor(15, TimeUnit.MINUTES); // a bound for a hung browser, not a speed target
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished)
                .as("the browser tests finished within 15 minutes:\n%s", output)
                .isTrue();
        assertThat(process.exitValue())
                .as("browser tests (log: %s):\n%s", log, output)
                .isZero();
        assertThat(output).contains(" passed, 0 failed");
        assertThat(out.resolve("flag-targeting-desktop.png")).exists();
        assertThat(out.resolve("report-mobile.png")).exists();
        assertThat(out.resolve("plan-desktop.png")).exists();
        assertThat(out.resolve("alerts-desktop.png")).exists();
    }

    /** Spring Session JDBC keeps sessions in PostgreSQL, so a session made on replica A is valid on B. */
    private static boolean sessionsLiveInTheDatabase() {
        return ClassUtils.isPresent(
                "org.springframework.session.jdbc.JdbcIndexedSessionRepository",
                ConsoleBrowserTests.class.getClassLoader());
    }
}
