package dev.dimmer.sdk.eval;

import java.util.List;

/**
 * An immutable set of strings for {@code IN} and segment key lists: an open-addressing index over
 * a list the engine keeps anyway, so membership costs 2 bytes per slot instead of a second array of
 * references.
 *
 * <p>An inline {@code IN} list is held by the flag's canonical {@code FlagConfig} (for {@link
 * EvaluationEngine#flag}); a {@code Set.copyOf} beside it cost another 8 bytes per key (a table of
 * twice as many references). This class indexes that same list instead: a table of {@code char}
 * positions (an {@code int} table past 65 534 keys), a power of two at most half full, probed
 * linearly from the Fibonacci hash of {@link String#hashCode} (cached by the caller's string after
 * its first use). A lookup is one multiply, a few array reads and one {@link String#equals}: it
 * allocates nothing and costs what {@code Set.contains} cost.
 */
final class KeySet {

    static final KeySet EMPTY = of(List.of());

    private static final int NARROW_LIMIT = Character.MAX_VALUE; // positions are stored plus one

    private final List<String> keys; // random access, no nulls
    private final char[] narrow; // position + 1 of the key in each slot, 0 when empty
    private final int[] wide; // the same for large lists; exactly one of the two is non-null
    private final int shift;

    private KeySet(List<String> keys, char[] narrow, int[] wide, int shift) {
        this.keys = keys;
        this.narrow = narrow;
        this.wide = wide;
        this.shift = shift;
    }

    /** The set of {@code keys}, an immutable random-access list without nulls, which it keeps. */
    static KeySet of(List<String> keys) {
        int size = keys.size();
        int bits = 1;
        while ((1 << bits) < 2 * size) {
            bits++;
        }
        int length = 1 << bits;
        char[] narrow = size < NARROW_LIMIT ? new char[length] : null;
        int[] wide = narrow == null ? new int[length] : null;
        KeySet set = new KeySet(keys, narrow, wide, 32 - bits);
        for (int position = 0; position < size; position++) {
            String key = keys.get(position);
            int slot = set.find(key);
            if (set.at(slot) == 0) { // a repeated key keeps its first position
                if (narrow != null) {
                    narrow[slot] = (char) (position + 1);
                } else {
                    wide[slot] = position + 1;
                }
            }
        }
        return set;
    }

    boolean contains(String key) {
        return at(find(key)) != 0;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(String key) {
        int mask = (narrow != null ? narrow.length : wide.length) - 1;
        for (int slot = (key.hashCode() * 0x9E3779B9) >>> shift; ; slot = (slot + 1) & mask) {
            int position = at(slot);
            if (position == 0 || key.equals(keys.get(position - 1))) {
                return slot;
            }
        }
    }

    private int at(int slot) {
        return narrow != null ? narrow[slot] : wide[slot];
    }
}
