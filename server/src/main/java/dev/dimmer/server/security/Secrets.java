package dev.dimmer.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * High-entropy secrets for SDK keys ({@code dsk_…}) and admin tokens ({@code dat_…}). Only their
 * SHA-256 is stored: a fast hash is right here because the secret has 256 bits of entropy, so
 * there is nothing to brute-force, and every API call must look its key up cheaply.
 */
public final class Secrets {

    public static final String SDK_KEY_PREFIX = "dsk_";
    public static final String ADMIN_TOKEN_PREFIX = "dat_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** What may be shown after creation to recognise a key: its prefix and first characters. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(secret.length(), 10));
    }
}
