package dev.dimmer.sdk.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BucketingTests {

    @Test
    void murmur3_matchesDesignCheckValues() {
        assertThat(hash("The quick brown fox jumps over the lazy dog", 0)).isEqualTo(776992547L);
        assertThat(hash("a", 0)).isEqualTo(1009084850L);
        assertThat(hash("", 1)).isEqualTo(1364076727L);
    }

    @Test
    void bucket_matchesDesignCheckValues() {
        assertThat(Bucketing.bucket(0, "The quick brown fox jumps over the lazy dog"))
                .isEqualTo(2547);
        assertThat(Bucketing.bucket(0, "a")).isEqualTo(4850);
        assertThat(Bucketing.bucket(1, "")).isEqualTo(6727);
    }

    @Test
    void bucket_encodesMultiByteAndSurrogatesLikeGetBytes() {
        for (String s : new String[] {"é", "日本語", "😀", "a😀b", "\uD800", "x\uDC00y", "\uD83D", "ab\uD83Dc"}) {
            assertThat(Bucketing.murmur3Utf8(s, 3))
                    .as(s)
                    .isEqualTo(Bucketing.murmur3x86_32(s.getBytes(StandardCharsets.UTF_8), 3));
        }
    }

    @Property(tries = 300)
    void bucket_streamingUtf8EqualsHashOfGetBytes(@ForAll String key, @ForAll int seed) {
        assertThat(Bucketing.murmur3Utf8(key, seed))
                .isEqualTo(Bucketing.murmur3x86_32(key.getBytes(StandardCharsets.UTF_8), seed));
        assertThat(Bucketing.bucket(seed, key)).isBetween(0, 9_999);
    }

    /**
     * Pearson chi-square of 100 000 keys over 100 groups of 100 buckets: df = 99, and the critical
     * value at p = 0.001 is 148.23. A fixed seed and key set keep the test deterministic.
     */
    @Test
    void bucket_isUniform_chiSquareOver100000Keys() {
        int keys = 100_000;
        int groups = 100;
        long[] counts = new long[groups];
        for (int i = 0; i < keys; i++) {
            counts[Bucketing.bucket(12345, "user-" + i) / (Bucketing.BUCKETS / groups)]++;
        }
        double expected = (double) keys / groups;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(148.23);
    }

    private static long hash(String s, int seed) {
        return Integer.toUnsignedLong(Bucketing.murmur3x86_32(s.getBytes(StandardCharsets.UTF_8), seed));
    }
}
