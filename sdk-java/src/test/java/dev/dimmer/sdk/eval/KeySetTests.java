package dev.dimmer.sdk.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeySetTests {

    @Test
    void contains_listedKeysOnly() {
        KeySet set = KeySet.of(List.of("alice", "bob", "carol"));
        assertThat(set.contains("alice")).isTrue();
        assertThat(set.contains(new String("bob"))).isTrue();
        assertThat(set.contains("carol")).isTrue();
        assertThat(set.contains("dave")).isFalse();
        assertThat(set.contains("")).isFalse();
    }

    @Test
    void contains_emptySet_isFalse() {
        assertThat(KeySet.EMPTY.contains("a")).isFalse();
        assertThat(KeySet.of(List.of("")).contains("")).isTrue();
    }

    @Test
    void contains_equalHashCodes_areToldApart() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        KeySet set = KeySet.of(List.of("Aa", "x"));
        assertThat(set.contains("Aa")).isTrue();
        assertThat(set.contains("BB")).isFalse();
        assertThat(KeySet.of(List.of("Aa", "BB")).contains("BB")).isTrue();
    }

    @Test
    void of_repeatedKeys_areFound() {
        KeySet set = KeySet.of(List.of("a", "b", "a", "a", "c"));
        assertThat(set.contains("a")).isTrue();
        assertThat(set.contains("c")).isTrue();
        assertThat(set.contains("d")).isFalse();
    }

    @Test
    void contains_listsPastTheNarrowIndex_useTheWideOne() {
        List<String> keys =
                IntStream.range(0, 70_000).mapToObj(i -> "user-" + i).toList();
        KeySet set = KeySet.of(keys);
        for (String key : keys) {
            assertThat(set.contains(key)).as(key).isTrue();
        }
        assertThat(set.contains("user-70000")).isFalse();
        assertThat(set.contains("user--1")).isFalse();
    }

    @Test
    void contains_hitsAndMisses_agreeWithASet() {
        List<String> keys = IntStream.range(0, 1_000)
                .mapToObj(i -> "staff-" + (i * 7919 % 5000))
                .toList();
        KeySet set = KeySet.of(keys);
        java.util.Set<String> expected = java.util.Set.copyOf(keys);
        for (int i = 0; i < 20_000; i++) {
            String probe = "staff-" + i;
            assertThat(set.contains(probe)).as(probe).isEqualTo(expected.contains(probe));
        }
    }
}
