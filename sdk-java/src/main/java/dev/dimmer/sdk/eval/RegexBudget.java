package dev.dimmer.sdk.eval;

/**
 * An upper estimate of the size of the program re2j would compile a pattern into, computed
 * <em>before</em> handing the pattern to re2j.
 *
 * <p>Why: re2j expands counted repetition ({@code x{n,m}}) into copies of {@code x} while it
 * simplifies the pattern, and nesting multiplies the copies: {@code ((a{1000}){1000}){1000}} asks for
 * a billion instructions and exhausts the heap inside {@code Pattern.compile}, and {@code (a{1000}){100}}
 * compiles to about 100 000 instructions that every evaluation walks. RE2 itself bounds this with a
 * memory budget; re2j has none and does not expose its program, so we measure first.
 *
 * <p>How: one linear pass over the pattern with an explicit stack (no recursion, so deep nesting
 * cannot overflow the thread's stack), counting what re2j's compiler emits: one instruction per
 * literal, class, dot or assertion, two per capturing group, one per alternative and per
 * {@code * + ?}, and for {@code x{n,m}} {@code m} copies of {@code x} plus one per optional copy.
 * Sums saturate at {@link #SATURATED}. Syntax this pass does not understand is counted as
 * literals; re2j rejects what is really malformed. The estimate is never below re2j's count for the
 * patterns of {@code RegexBudgetTests}, which compares both.
 */
final class RegexBudget {

    /** Larger than any limit: sums stop here, so nothing overflows. */
    static final long SATURATED = 1L << 40;
    /** Deeper nesting of groups than this is refused outright (re2j's own parser recurses on it). */
    static final int MAX_NESTING = 200;

    private RegexBudget() {}

    /** The estimated number of instructions, or {@link #SATURATED} when too big or too deeply nested. */
    static long programSize(String pattern) {
        Frame frame = new Frame(null, false);
        int depth = 0;
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
                        int end = pattern.indexOf("\\E", i + 2);
                        int stop = end < 0 ? n : end;
                        for (int j = i + 2; j < stop; j++) {
                            frame.atom(1);
                        }
                        i = end < 0 ? n : end + 2;
                    } else {
                        i = skipEscape(pattern, i);
                        frame.atom(1);
                    }
                }
                case '[' -> {
                    i = skipClass(pattern, i);
                    frame.atom(1);
                }
                case '(' -> {
                    if (pattern.startsWith("(?", i) && isFlagsOnly(pattern, i)) {
                        i = pattern.indexOf(')', i) + 1; // (?i): sets flags, emits nothing
                    } else {
                        boolean capturing = !pattern.startsWith("(?", i)
                                || pattern.startsWith("(?P<", i)
                                || pattern.startsWith("(?<", i);
                        if (++depth > MAX_NESTING) {
                            return SATURATED;
                        }
                        frame = new Frame(frame, capturing);
                        i = groupBodyStart(pattern, i);
                    }
                }
                case ')' -> {
                    if (frame.parent == null) {
                        frame.atom(1);
                    } else {
                        long size = frame.close();
                        frame = frame.parent;
                        depth--;
                        frame.atom(size);
                    }
                    i++;
                }
                case '|' -> {
                    frame.alternative();
                    i++;
                }
                case '*', '+', '?' -> {
                    frame.repeat(frame.last + 1);
                    i = skipLazy(pattern, i + 1);
                }
                case '{' -> {
                    int[] counts = new int[2];
                    int end = repeatEnd(pattern, i, counts);
                    if (end < 0) {
                        frame.atom(1); // not a repetition: a literal brace
                        i++;
                    } else {
                        int min = counts[0];
                        int max = counts[1];
                        long size = max < 0
                                ? times(frame.last, (long) min + 1) + 1 // x{n,}: n copies and a star
                                : add(times(frame.last, max), max - min); // x{n,m}: m copies, m-n optional
                        frame.repeat(Math.max(size, 1));
                        i = skipLazy(pattern, end);
                    }
                }
                default -> {
                    frame.atom(1);
                    i += Character.charCount(pattern.codePointAt(i));
                }
            }
            if (frame.total() >= SATURATED) {
                return SATURATED;
            }
        }
        while (frame.parent != null) { // unclosed groups: re2j refuses them; count them anyway
            long size = frame.close();
            frame = frame.parent;
            frame.atom(size);
        }
        return Math.min(add(frame.close(), 2), SATURATED); // the program's match and fail instructions
    }

    /** One group (or the whole pattern) being read: alternatives so far, and the current concatenation. */
    private static final class Frame {
        final Frame parent;
        final boolean capturing;
        long alternatives;
        int bars;
        long concatenation;
        long last;

        Frame(Frame parent, boolean capturing) {
            this.parent = parent;
            this.capturing = capturing;
        }

        void atom(long size) {
            concatenation = add(concatenation, size);
            last = size;
        }

        /** Replaces the last atom by its repetition, of {@code size} instructions. */
        void repeat(long size) {
            concatenation = add(concatenation - last, size);
            last = size;
        }

        void alternative() {
            alternatives = add(alternatives, concatenation);
            bars++;
            concatenation = 0;
            last = 0;
        }

        long total() {
            return add(alternatives, concatenation);
        }

        long close() {
            return add(add(total(), bars), capturing ? 2 : 0);
        }
    }

    private static long add(long a, long b) {
        return Math.min(a + b, SATURATED);
    }

    private static long times(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > SATURATED / b ? SATURATED : Math.min(a * b, SATURATED);
    }

    /** {@code (?flags)} with no colon: changes flags for the rest of the group. */
    private static boolean isFlagsOnly(String pattern, int open) {
        for (int j = open + 2; j < pattern.length(); j++) {
            char c = pattern.charAt(j);
            if (c == ')') {
                return true;
            }
            if (!(Character.isLetter(c) || c == '-')) {
                return false;
            }
        }
        return false;
    }

    /**
     * Where the body of the group opened at {@code open} starts: after {@code (}, {@code (?:},
     * {@code (?flags:}, {@code (?P<name>} or {@code (?<name>}. Scans only the group's header, so
     * many unterminated headers cost linear time; what it does not recognise re2j will refuse.
     */
    private static int groupBodyStart(String pattern, int open) {
        int n = pattern.length();
        if (!pattern.startsWith("(?", open)) {
            return open + 1;
        }
        int j = open + 2;
        if (pattern.startsWith("P<", j) || pattern.startsWith("<", j)) {
            j = pattern.indexOf('<', j) + 1;
            while (j < n && (Character.isLetterOrDigit(pattern.charAt(j)) || pattern.charAt(j) == '_')) {
                j++;
            }
            return j < n && pattern.charAt(j) == '>' ? j + 1 : open + 2;
        }
        while (j < n && (Character.isLetter(pattern.charAt(j)) || pattern.charAt(j) == '-')) {
            j++;
        }
        return j < n && pattern.charAt(j) == ':' ? j + 1 : open + 2;
    }

    private static int skipEscape(String pattern, int backslash) {
        int i = backslash + 1;
        if (i >= pattern.length()) {
            return i;
        }
        char c = pattern.charAt(i);
        if ((c == 'p' || c == 'P' || c == 'x') && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
            int close = pattern.indexOf('}', i);
            return close < 0 ? pattern.length() : close + 1;
        }
        if (c == 'p' || c == 'P') {
            return Math.min(i + 2, pattern.length());
        }
        if (c == 'x') {
            return Math.min(i + 3, pattern.length());
        }
        return i + Character.charCount(pattern.codePointAt(i));
    }

    /** After the {@code ]} closing the class at {@code open} (a leading {@code ]} or {@code ^]} is literal). */
    private static int skipClass(String pattern, int open) {
        int i = open + 1;
        int n = pattern.length();
        if (i < n && pattern.charAt(i) == '^') {
            i++;
        }
        if (i < n && pattern.charAt(i) == ']') {
            i++;
        }
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i = skipEscape(pattern, i);
            } else if (c == '[' && pattern.startsWith("[:", i)) {
                int close = posixClassEnd(pattern, i);
                i = close < 0 ? i + 1 : close;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }

    /** After a {@code [:name:]} at {@code open}, or -1; names are short, so this looks no further. */
    private static int posixClassEnd(String pattern, int open) {
        int limit = Math.min(pattern.length() - 1, open + 12);
        for (int j = open + 2; j < limit; j++) {
            if (pattern.charAt(j) == ':' && pattern.charAt(j + 1) == ']') {
                return j + 2;
            }
        }
        return -1;
    }

    /** The index after a {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code open}, counts in {@code out} (max -1: none); -1 if not one. */
    private static int repeatEnd(String pattern, int open, int[] out) {
        int i = open + 1;
        int n = pattern.length();
        int start = i;
        while (i < n && Character.isDigit(pattern.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 6) {
            return -1;
        }
        out[0] = Integer.parseInt(pattern, start, i, 10);
        out[1] = out[0];
        if (i < n && pattern.charAt(i) == ',') {
            i++;
            int maxStart = i;
            while (i < n && Character.isDigit(pattern.charAt(i))) {
                i++;
            }
            if (i - maxStart > 6) {
                return -1;
            }
            out[1] = i == maxStart ? -1 : Integer.parseInt(pattern, maxStart, i, 10);
        }
        if (i >= n || pattern.charAt(i) != '}') {
            return -1;
        }
        return i + 1;
    }

    private static int skipLazy(String pattern, int i) {
        return i < pattern.length() && pattern.charAt(i) == '?' ? i + 1 : i;
    }
}
