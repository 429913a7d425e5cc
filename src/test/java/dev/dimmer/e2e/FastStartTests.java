package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/fast-start.sh} (docs/operations.md "Start time"), run as an operator or the Docker image runs it: the
 * prepared server starts with its class-data-sharing archive <em>mapped</em> ({@code -Xshare:on} refuses to start
 * otherwise) and most classes come from it. Without this check a class path recorded differently from the one the
 * service is started with (relative against absolute) silently disables the archive and the start is slow again.
 * The start time itself is written to {@code target/fast-start/start.txt}, not asserted: this machine is shared.
 */
class FastStartTests {

    private static final Pattern STARTED = Pattern.compile("Started DimmerApplication in ([0-9.]+) seconds");

    @Test
    void thePreparedServerStartsWithItsClassDataSharingArchiveMapped() throws Exception {
        Path script = Path.of(System.getProperty("dimmer.fast-start.script"));
        Path destination = Path.of("target", "fast-start").toAbsolutePath();
        Path output = destination.resolveSibling("fast-start.log");
        Files.createDirectories(destination);
        Process prepare = new ProcessBuilder(
                        "sh", script.toString(), ServerProcess.jar().toString(), destination.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(prepare.waitFor(10, TimeUnit.MINUTES))
                .as("fast-start.sh ended")
                .isTrue();
        assertThat(prepare.exitValue())
                .as("fast-start.sh: %s", Files.readString(output))
                .isZero();
        Path archive = destination.resolve("dimmer.jsa");
        assertThat(archive).isRegularFile();

        Path classLoading = destination.resolve("class-load.log");
        try (ServerProcess server = ServerProcess.launchJar(
                "fast-start",
                TestDatabase.create(),
                destination.resolve("dimmer-server.jar"),
                List.of(
                        "-Xshare:on",
                        "-XX:SharedArchiveFile=" + archive,
                        "-Xlog:class+load=info:file=" + classLoading))) {
            server.awaitReady();
            Matcher started = STARTED.matcher(server.logText());
            assertThat(started.find())
                    .as("the start line in %s", server.tailOfLog())
                    .isTrue();

            long shared;
            long all;
            try (Stream<String> lines = Files.lines(classLoading)) {
                List<String> loaded = lines.filter(l -> l.contains(" source: ")).toList();
                all = loaded.size();
                shared = loaded.stream()
                        .filter(l -> l.contains("source: shared objects file"))
                        .count();
            }
            write(destination.resolve("start.txt"), started.group(1), shared, all);
            // Classes loaded after the start (first requests, jobs) were not in the training run; the start's are.
            assertThat((double) shared / all)
                    .as("share of %d loaded classes mapped from the archive", all)
                    .isGreaterThan(0.8);
        }
    }

    private static void write(Path file, String seconds, long shared, long all) throws IOException {
        Files.writeString(
                file,
                String.format(
                        "Started DimmerApplication in %s s with -Xshare:on; %d of %d classes from the archive%n",
                        seconds, shared, all));
    }
}
