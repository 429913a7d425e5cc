package dev.dimmer.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The address rules on their own, without an operator's allowance (the integration tests allow 127.0.0.1). */
class ChannelUrlsTests {

    private static NotificationProperties allowing(String... addresses) {
        return new NotificationProperties(
                null, null, null, null, null, null, null, List.of(addresses), null, null, null);
    }

    @Test
    void problem_refusesLoopbackLinkLocalAndMetadata_byDefault() {
        ChannelUrls urls = new ChannelUrls(allowing());
        assertThat(urls.problem("http://127.0.0.1:8080/hook"))
                .hasValueSatisfying(p -> assertThat(p).contains("loopback"));
        assertThat(urls.problem("http://localhost/hook")).isPresent();
        assertThat(urls.problem("http://169.254.169.254/latest/meta-data/"))
                .hasValueSatisfying(p -> assertThat(p).contains("link-local"));
        assertThat(urls.problem("http://[fe80::1%25eth0]/")).isPresent();
        assertThat(urls.problem("http://[fd00:ec2::254]/"))
                .hasValueSatisfying(p -> assertThat(p).contains("metadata"));
        assertThat(urls.problem("http://100.100.100.200/"))
                .hasValueSatisfying(p -> assertThat(p).contains("metadata"));
        assertThat(urls.problem("http://[::ffff:169.254.169.254]/")).isPresent();
        assertThat(urls.problem("javascript:alert(1)")).isPresent();
        assertThat(urls.problem("http:///no-host")).isPresent();
    }

    @Test
    void problem_acceptsPrivateAndPublicAddresses() {
        ChannelUrls urls = new ChannelUrls(allowing());
        assertThat(urls.problem("http://10.1.2.3/hook")).isEmpty();
        assertThat(urls.problem("https://192.168.1.20:8443/services/T0/B0/x")).isEmpty();
        assertThat(urls.problem("https://93.184.216.34/hook")).isEmpty();
    }

    @Test
    void allowAddresses_liftsTheRefusalForExactlyTheGivenAddressesOrRanges() throws Exception {
        ChannelUrls urls = new ChannelUrls(allowing("127.0.0.1", "fe80::/10"));
        assertThat(urls.problem("http://127.0.0.1:9000/")).isEmpty();
        assertThat(urls.problem("http://127.0.0.2:9000/")).isPresent();
        assertThat(urls.problem("http://[fe80::1]/")).isEmpty();
        assertThat(urls.problem("http://169.254.169.254/")).isPresent();
        assertThat(ChannelUrls.Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.1.1")))
                .isTrue();
        assertThat(ChannelUrls.Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1")))
                .isFalse();
        assertThatThrownBy(() -> ChannelUrls.Cidr.parse("example.com")).hasMessageContaining("allow-addresses");
        assertThatThrownBy(() -> ChannelUrls.Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    }

    @Test
    void send_checksTheAddressAgain_soAChannelWhoseHostNowResolvesToARefusedAddressIsNotCalled() {
        // The channel was saved while 127.0.0.1 was allowed; this sender runs without that allowance, as a
        // replica would after a DNS change (rebinding) or a tightened configuration.
        try (Receiver receiver = new Receiver()) {
            NotificationProperties strict = allowing();
            WebhookSender sender =
                    new WebhookSender(new ChannelUrls(strict), null, strict, java.time.Clock.systemUTC());
            Channel channel = new Channel(
                    1, 1, null, null, "hook", "hook", ChannelKind.SLACK, receiver.url("/x"), null, true, null, null);
            Notification n = new Notification(
                    1,
                    java.util.UUID.randomUUID(),
                    1,
                    1L,
                    "default/hook",
                    ChannelKind.SLACK,
                    null,
                    "test",
                    null,
                    null,
                    "t",
                    "{}",
                    Notification.Status.PENDING,
                    0,
                    3,
                    null,
                    null,
                    null,
                    null);

            DeliveryAttempt attempt = sender.send(channel, n, 1, "test");

            assertThat(attempt.delivered()).isFalse();
            assertThat(attempt.statusCode()).isNull();
            assertThat(attempt.error()).contains("loopback", "allow-addresses");
            assertThat(receiver.received).isEmpty();
        }
    }

    @Test
    void backoff_doublesFromTheInitialWait_withJitterInItsUpperHalf_cappedAtTheMaximum() {
        NotificationProperties p = new NotificationProperties(
                null, null, null, Duration.ofSeconds(10), Duration.ofMinutes(1), null, null, null, null, null, null);
        Deliverer deliverer = new Deliverer(null, null, null, null, p, null);
        for (int i = 0; i < 200; i++) {
            assertThat(deliverer.backoff(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(deliverer.backoff(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(deliverer.backoff(40)).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
        }
    }

    @Test
    void signature_isHmacSha256OfTimestampDotBody_asTheDocsComputeItWithOpenssl() {
        // printf '%s' '1767225600.{"version":1}' | openssl dgst -sha256 -hmac 'dwh_example' -r
        assertThat(WebhookSignature.sign("dwh_example", 1767225600L, "{\"version\":1}"))
                .isEqualTo("sha256=" + OPENSSL_DIGEST);
    }

    static final String OPENSSL_DIGEST = "33a12fa9f27759816fd4a8351f6e0641c1ac922eee947fdadb2e25d1e1474cb7";
}
