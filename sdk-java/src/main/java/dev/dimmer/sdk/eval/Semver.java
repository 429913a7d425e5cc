package dev.dimmer.sdk.eval;

/**
 * A Semantic Versioning 2.0.0 version, compared by the spec's precedence (§11): numeric core,
 * then a release ranks above any of its pre-releases, then pre-release identifiers one by one
 * (numeric ones numerically and below alphanumeric ones, which compare in ASCII order; a shorter
 * list ranks lower). Build metadata is ignored. Parsing is strict: {@code v1.2.3}, {@code 1.2} or
 * {@code 01.2.3} are not versions, so the predicate is false (the conformance files require it).
 */
record Semver(long major, long minor, long patch, String[] preRelease) implements Comparable<Semver> {

    private static final String[] RELEASE = new String[0];

    /** The version written as {@code text}, or null when it is not a strict SemVer 2.0 version. */
    static Semver parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int plus = s.indexOf('+');
        if (plus >= 0) {
            if (!identifiers(s.substring(plus + 1), false)) {
                return null;
            }
            s = s.substring(0, plus);
        }
        int dash = s.indexOf('-');
        String core = dash >= 0 ? s.substring(0, dash) : s;
        String[] pre = RELEASE;
        if (dash >= 0) {
            String preText = s.substring(dash + 1);
            if (!identifiers(preText, true)) {
                return null;
            }
            pre = preText.split("\\.");
        }
        String[] parts = core.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        long[] numbers = new long[3];
        for (int i = 0; i < 3; i++) {
            if (!isNumeric(parts[i]) || parts[i].length() > 18) {
                return null;
            }
            numbers[i] = Long.parseLong(parts[i]);
        }
        return new Semver(numbers[0], numbers[1], numbers[2], pre);
    }

    /** Dot-separated non-empty [0-9A-Za-z-] identifiers; numeric pre-release ones without leading zeros. */
    private static boolean identifiers(String text, boolean preRelease) {
        if (text.isEmpty()) {
            return false;
        }
        for (String id : text.split("\\.", -1)) {
            if (id.isEmpty()) {
                return false;
            }
            boolean numeric = true;
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-') {
                    return false;
                }
                numeric &= digit;
            }
            if (preRelease && numeric && id.length() > 1 && id.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    /** Digits only, and no leading zero unless it is "0". */
    private static boolean isNumeric(String s) {
        if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Semver other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.length == 0 || other.preRelease.length == 0) {
            // A release ranks above its pre-releases.
            return Boolean.compare(preRelease.length == 0, other.preRelease.length == 0);
        }
        int n = Math.min(preRelease.length, other.preRelease.length);
        for (int i = 0; i < n; i++) {
            c = compareIdentifier(preRelease[i], other.preRelease[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.length, other.preRelease.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean numA = isAllDigits(a);
        boolean numB = isAllDigits(b);
        if (numA && numB) {
            // Compare as unbounded integers: no leading zeros, so longer is larger.
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numA != numB) {
            return numA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
