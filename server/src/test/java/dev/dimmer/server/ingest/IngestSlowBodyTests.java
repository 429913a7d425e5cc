package dev.dimmer.server.ingest;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Slow uploads (bodies trickled over raw sockets) hold neither an ingest slot nor more than their key's share of
 * the server, and a body slower than the deadline is answered 408 and frees what it held.
 */
@IntegrationTest
@TestPropertySource(properties = {"dimmer.ingest.body-timeout=2s", "dimmer.ingest.max-concurrent-per-key=3"})
class IngestSlowBodyTests {

    @LocalServerPort
    int port;

    @Autowired
    IngestLimiter limiter;

    @Autowired
    KeyConcurrency perKey;

    @Autowired
    IngestProperties properties;

    Api admin;
    String project;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> perKey.total() == 0);
    }

    /** Opens a POST declaring {@code length} bytes and sends only the first one. */
    private Socket startSlowUpload(String sdkKey, int length) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        socket.setSoTimeout(30_000);
        socket.getOutputStream()
                .write(("POST /api/sdk/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + sdkKey
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads one whole response (Content-Length or chunked); null if none started within the socket's timeout. */
    private static String response(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!complete(text)) {
            int n;
            try {
                n = in.read(buffer);
            } catch (java.net.SocketTimeoutException e) {
                if (text.isEmpty()) {
                    return null;
                }
                throw e;
            }
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static boolean complete(StringBuilder text) {
        int headersEnd = text.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        String headers = text.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher length =
                java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(headers);
        if (length.find()) {
            return text.length() - headersEnd - 4 >= Integer.parseInt(length.group(1));
        }
        return text.toString().endsWith("\r\n0\r\n\r\n");
    }

    @Test
    void slowUploadsOfOneKeyNeitherHoldSlotsNorMakeOtherClientsWait() throws Exception {
        String slowKey = IngestFixtures.sdkKey(admin, project, "production");
        String normalKey = IngestFixtures.sdkKey(admin, project, "production");
        int slowClients = properties.maxConcurrentBatches() + 2;
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < slowClients; i++) {
            slow.add(startSlowUpload(slowKey, 1000));
        }
        // Three are being received (the key's bound); the others are refused at once with 429.
        await().atMost(Duration.ofSeconds(10)).until(() -> perKey.total() == 3);
        List<String> refused = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (Socket socket : slow) {
                socket.setSoTimeout(50);
                String answer = response(socket);
                if (answer != null) {
                    refused.add(answer);
                }
            }
            return refused.size() >= slowClients - 3;
        });
        assertThat(refused)
                .hasSize(slowClients - 3)
                .allSatisfy(r -> assertThat(r)
                        .startsWith("HTTP/1.1 429")
                        .contains("Retry-After: ")
                        .contains("application/problem+json"));
        assertThat(perKey.total()).isEqualTo(3);

        assertThat(limiter.permits().availablePermits())
                .as("a body being received holds no ingest slot")
                .isEqualTo(properties.maxConcurrentBatches());
        Api normal = admin.as(normalKey);
        for (int i = 0; i < 3; i++) {
            expect(
                    normal.post(
                            "/api/sdk/v1/events", events("normal-" + i, List.of(event("k", "t", 1, Instant.now())))),
                    202);
        }
        assertThat(perKey.total()).isEqualTo(3);
    }

    @Test
    void aBodySlowerThanTheDeadlineGets408AndFreesItsPlace() throws Exception {
        String sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        Socket trickler = startSlowUpload(sdkKey, 100_000);
        OutputStream out = trickler.getOutputStream();
        trickler.setSoTimeout(100);
        String text = null;
        // One byte every 100 ms or so (far below the 2 s deadline for 100 kB) until the server answers.
        for (int i = 0; i < 600 && text == null; i++) {
            try {
                out.write(' ');
                out.flush();
            } catch (IOException closedByServer) {
                // the server may close the connection right after its answer
            }
            text = response(trickler);
        }
        assertThat(text)
                .startsWith("HTTP/1.1 408")
                .contains("application/problem+json")
                .contains("\"status\":408")
                .contains("body-timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> perKey.total() == 0);
        assertThat(limiter.permits().availablePermits()).isEqualTo(properties.maxConcurrentBatches());
        expect(
                admin.as(sdkKey)
                        .post("/api/sdk/v1/events", events("after-408", List.of(event("k", "t", 1, Instant.now())))),
                202);
    }
}
