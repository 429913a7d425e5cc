package dev.dimmer.server.notifications;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Encrypts webhook secrets at rest (AES-256-GCM, a random 96-bit nonce per value, stored as {@code v1:<base64(nonce ‖
 * ciphertext ‖ tag)>}). Unlike SDK keys and admin tokens, whose hash is enough to check them, the server must sign with
 * the secret itself, so it keeps the secret recoverably, but only in encrypted form: a copy of the database alone does
 * not reveal it when the operator keeps the key outside (docs/security.md).
 *
 * <p>The key is {@code dimmer.notifications.secrets-key} (base64 of 32 bytes); without it, one is generated at first
 * use and kept in the database (a warning says so), so the server works out of the box.
 */
@Component
class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NotificationProperties properties;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private volatile SecretKeySpec key;

    SecretBox(NotificationProperties properties, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.properties = properties;
        this.jdbc = jdbc;
        // The generated key commits on its own: a channel creation that rolls back must not take the key with it.
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    String seal(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is always available", e);
        }
    }

    /**
     * @throws IllegalStateException when the value was sealed with another key (the operator changed it): the channel
     *     needs a new secret
     */
    String open(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("the channel's secret is not stored in a known form");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the channel's secret cannot be decrypted with the current secrets key (was"
                            + " dimmer.notifications.secrets-key changed?): give the channel a new secret",
                    e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(loadKey(), "AES");
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] loadKey() {
        if (!properties.secretsKey().isEmpty()) {
            byte[] configured;
            try {
                configured = Base64.getDecoder().decode(properties.secretsKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("dimmer.notifications.secrets-key must be base64 of 32 bytes", e);
            }
            if (configured.length != 32) {
                throw new IllegalStateException("dimmer.notifications.secrets-key must be base64 of 32 bytes, was "
                        + configured.length + " bytes");
            }
            return configured;
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        String stored = ownTransaction.execute(status -> {
            jdbc.update(
                    "INSERT INTO notification_secrets_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                    Base64.getEncoder().encodeToString(fresh));
            return jdbc.queryForObject("SELECT key FROM notification_secrets_key WHERE id = 1", String.class);
        });
        log.warn("webhook secrets are encrypted with a key kept in the database; set dimmer.notifications.secrets-key"
                + " (base64 of 32 random bytes: openssl rand -base64 32) to keep it apart (docs/security.md)");
        return Base64.getDecoder().decode(stored);
    }
}
