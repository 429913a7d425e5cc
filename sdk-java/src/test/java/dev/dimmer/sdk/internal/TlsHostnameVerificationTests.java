package dev.dimmer.sdk.internal;

import static dev.dimmer.sdk.Fixtures.standard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.FakeDimmerServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK key goes only to a server whose certificate names the host of the base URL, over the
 * snapshot request and the event stream alike. Both certificates below are trusted by the
 * client's trust store, so only the host-name check tells them apart.
 */
class TlsHostnameVerificationTests {

    @TempDir
    static Path dir;

    static KeyStore otherHost;
    static KeyStore rightHost;
    static SSLContext clientContext;
    static ExecutorService executor;

    @BeforeAll
    static void certificates() throws Exception {
        otherHost = TestCertificates.selfSigned(dir, "other", "other.example", "dns:other.example");
        rightHost = TestCertificates.selfSigned(dir, "right", "localhost", "ip:127.0.0.1,dns:localhost");
        clientContext = TestCertificates.trusting(otherHost, rightHost);
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    private static Transport transport(FakeDimmerServer server) {
        return new Transport(
                URI.create(server.baseUrl()),
                FakeDimmerServer.KEY,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                executor,
                "test",
                clientContext);
    }

    @Test
    void certificateForAnotherHost_isRefusedBySnapshotAndStream_beforeTheKeyIsSent() throws Exception {
        try (FakeDimmerServer server = FakeDimmerServer.tls(standard(1), TestCertificates.serverContext(otherHost))) {
            Transport transport = transport(server);

            Transport.Fetch fetch = transport.fetchSnapshot(null).join();
            assertThat(fetch).isInstanceOf(Transport.Failed.class);
            assertThat(((Transport.Failed) fetch).message()).contains("SSLHandshakeException");

            assertThatThrownBy(() -> transport.openStream(Duration.ofSeconds(5)).close())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");

            assertThat(server.snapshotRequests).hasValue(0);
            assertThat(server.streamConnects).hasValue(0);
            transport.close();
        }
    }

    @Test
    void certificateForTheRightHost_servesSnapshotAndStream() throws Exception {
        try (FakeDimmerServer server = FakeDimmerServer.tls(standard(1), TestCertificates.serverContext(rightHost))) {
            Transport transport = transport(server);

            assertThat(transport.fetchSnapshot(null).join()).isInstanceOf(Transport.Fetched.class);
            try (EventStreamConnection stream = transport.openStream(Duration.ofSeconds(5))) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.readLine()).isEqualTo(": hello");
            }
            transport.close();
        }
    }

    @Test
    void client_streamsOverVerifiedTls() throws Exception {
        try (FakeDimmerServer server = FakeDimmerServer.tls(standard(1), TestCertificates.serverContext(rightHost));
                DimmerClient client = DimmerClient.builder(FakeDimmerServer.KEY)
                        .baseUrl(server.baseUrl())
                        .tlsContext(clientContext)
                        .build()) {
            client.start().get();
            assertThat(client.state()).isEqualTo(ClientState.READY);
            dev.dimmer.sdk.Fixtures.await("stream open", Duration.ofSeconds(10), () -> server.openStreams() == 1);
        }
    }

    @Test
    void client_neverStreamsToAServerWithAnotherHostsCertificate() throws IOException, Exception {
        try (FakeDimmerServer server = FakeDimmerServer.tls(standard(1), TestCertificates.serverContext(otherHost));
                DimmerClient client = DimmerClient.builder(FakeDimmerServer.KEY)
                        .baseUrl(server.baseUrl())
                        .tlsContext(clientContext)
                        .pollingInterval(Duration.ofMillis(50))
                        .build()) {
            client.start();
            dev.dimmer.sdk.Fixtures.await(
                    "a failed attempt",
                    Duration.ofSeconds(10),
                    () -> client.lastFailure().isPresent());
            assertThat(client.lastFailure().orElseThrow().getMessage()).contains("SSLHandshakeException");
            assertThat(client.state()).isNotEqualTo(ClientState.READY);
            assertThat(server.snapshotRequests).hasValue(0);
            assertThat(server.streamConnects).hasValue(0);
        }
    }
}
