package dev.dimmer.server.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Makes one HTTP attempt of a notification: checks the channel's address again (DNS rebinding), POSTs the stored body
 * with a timeout, signs it when the channel is a webhook, and reads at most a bounded part of the answer. Redirects
 * are not followed: a redirect could lead to an address the check refuses.
 */
@Component
class WebhookSender {

    static final String USER_AGENT = "Dimmer-Notifications/1";

    private final HttpClient http;
    private final ChannelUrls urls;
    private final SecretBox secrets;
    private final NotificationProperties properties;
    private final Clock clock;

    WebhookSender(ChannelUrls urls, SecretBox secrets, NotificationProperties properties, Clock clock) {
        this.urls = urls;
        this.secrets = secrets;
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Never throws: what went wrong is in the attempt. */
    DeliveryAttempt send(Channel channel, Notification n, int attempt, String worker) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            URI uri = URI.create(channel.url());
            Optional<String> refused = urls.addressProblem(uri.getHost());
            if (refused.isPresent()) {
                return failed(attempt, at, started, refused.get(), worker);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(properties.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", USER_AGENT)
                    .header(WebhookSignature.DELIVERY_HEADER, n.deliveryId().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(n.body(), StandardCharsets.UTF_8));
            if (channel.kind() == ChannelKind.WEBHOOK) {
                long timestamp = clock.instant().getEpochSecond();
                request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(
                                WebhookSignature.SIGNATURE_HEADER,
                                WebhookSignature.sign(secrets.open(channel.sealedSecret()), timestamp, n.body()));
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String answer = read(response.body());
            int status = response.statusCode();
            return new DeliveryAttempt(
                    attempt,
                    at,
                    status,
                    millisSince(started),
                    answer,
                    status >= 200 && status < 300 ? null : "the receiver answered " + status,
                    worker);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return failed(attempt, at, started, describe(e), worker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(attempt, at, started, "interrupted (the server is stopping)", worker);
        }
    }

    /** At most {@code max-response-chars} of the answer (read as bytes, so a huge answer is not read at all). */
    private String read(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(properties.maxResponseChars() * 4);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > properties.maxResponseChars()
                    ? text.substring(0, properties.maxResponseChars()) + "…"
                    : text;
        }
    }

    private static DeliveryAttempt failed(int attempt, Instant at, long started, String error, String worker) {
        return new DeliveryAttempt(attempt, at, null, millisSince(started), null, error, worker);
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
