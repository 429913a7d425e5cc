package dev.dimmer.server.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request: {@code X-Dimmer-Signature: sha256=<hex>}, the HMAC-SHA256 of {@code
 * <X-Dimmer-Timestamp> + "." + <body>} keyed with the channel's secret (its UTF-8 bytes). Signing the timestamp with
 * the body lets a receiver refuse a replayed request: an old timestamp cannot be swapped for a fresh one.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Dimmer-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Dimmer-Signature";
    public static final String DELIVERY_HEADER = "X-Dimmer-Delivery";
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code timestamp} (Unix seconds). */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
