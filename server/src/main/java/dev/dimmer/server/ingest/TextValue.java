package dev.dimmer.server.ingest;

import tools.jackson.core.JsonParser;

/**
 * One JSON string field of the item being read, copied out of the parser's buffer into an array that is reused for
 * every item of the batch. Most fields go from here straight into the COPY rows ({@link CopyBinary#text}), so a batch
 * of 1 000 items does not make 1 000 key, type and time Strings only to encode them again; {@link #toString()} makes
 * a String where one is really kept.
 */
final class TextValue implements CharSequence {

    private char[] chars = new char[64];
    private int length;
    private boolean present;

    /** Forgets the previous item's value: absent until {@link #set}. */
    void clear() {
        present = false;
        length = 0;
    }

    /** Copies the parser's current string token. */
    void set(JsonParser p) {
        int n = p.getStringLength();
        if (n > chars.length) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        System.arraycopy(p.getStringCharacters(), p.getStringOffset(), chars, 0, n);
        length = n;
        present = true;
    }

    /** False when the field was not sent or was {@code null}. */
    boolean isPresent() {
        return present;
    }

    /** PostgreSQL text cannot hold U+0000. */
    boolean containsNul() {
        for (int i = 0; i < length; i++) {
            if (chars[i] == 0) {
                return true;
            }
        }
        return false;
    }

    boolean contentEquals(String s) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
