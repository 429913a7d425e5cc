package dev.dimmer.sdk.eval;

/**
 * Where a key falls in the 10 000 buckets of a split or a traffic gate (DESIGN.md §3):
 * {@code Integer.toUnsignedLong(murmur3_x86_32(UTF-8 bytes of key, seed)) % 10000}.
 *
 * <p>The string variant encodes UTF-8 on the fly into the hash's 4-byte blocks instead of calling
 * {@code getBytes}, because bucketing sits on the evaluation hot path and must not allocate. It
 * produces exactly the bytes {@link String#getBytes(java.nio.charset.Charset)} would, including
 * the {@code '?'} that replaces an unpaired surrogate, so SDKs in other languages can hash the
 * plain UTF-8 bytes and agree bit for bit.
 */
public final class Bucketing {

    static final int BUCKETS = 10_000;

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Bucketing() {}

    /** MurmurHash3 x86 32-bit of {@code data} with {@code seed}, as in Austin Appleby's reference. */
    public static int murmur3x86_32(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h = mixBlock(h, k);
        }
        int tail = 0;
        int shift = 0;
        for (int i = blocks; i < data.length; i++) {
            tail |= (data[i] & 0xff) << shift;
            shift += 8;
        }
        return finish(h, tail, data.length);
    }

    /** The bucket in {@code [0, 10000)} of {@code key} under {@code seed}. */
    public static int bucket(int seed, String key) {
        return (int) (Integer.toUnsignedLong(murmur3Utf8(key, seed)) % BUCKETS);
    }

    /** MurmurHash3 of the UTF-8 encoding of {@code s}, without materialising the bytes. */
    static int murmur3Utf8(String s, int seed) {
        int h = seed;
        int block = 0; // bytes gathered little-endian into the current 4-byte block
        int filled = 0; // how many bytes of {@code block} are filled
        int length = 0; // total encoded bytes
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int cp;
            int bytes;
            if (c < 0x80) {
                cp = c;
                bytes = 1;
            } else if (c < 0x800) {
                cp = c;
                bytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
                bytes = 4;
            } else if (Character.isSurrogate(c)) {
                cp = '?'; // what the JDK's UTF-8 encoder writes for a malformed surrogate
                bytes = 1;
            } else {
                cp = c;
                bytes = 3;
            }
            for (int b = 0; b < bytes; b++) {
                int octet = utf8Byte(cp, bytes, b);
                block |= octet << (filled << 3);
                if (++filled == 4) {
                    h = mixBlock(h, block);
                    block = 0;
                    filled = 0;
                }
            }
            length += bytes;
        }
        return finish(h, block, length);
    }

    /** The {@code index}-th byte of the {@code bytes}-long UTF-8 encoding of code point {@code cp}. */
    private static int utf8Byte(int cp, int bytes, int index) {
        if (bytes == 1) {
            return cp;
        }
        if (index == 0) {
            int lead = bytes == 2 ? 0xc0 : bytes == 3 ? 0xe0 : 0xf0;
            return lead | (cp >>> (6 * (bytes - 1)));
        }
        return 0x80 | ((cp >>> (6 * (bytes - 1 - index))) & 0x3f);
    }

    private static int mixBlock(int h, int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        k *= C2;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int finish(int h, int tail, int length) {
        if ((length & 3) != 0) {
            int k = tail * C1;
            k = Integer.rotateLeft(k, 15);
            k *= C2;
            h ^= k;
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
