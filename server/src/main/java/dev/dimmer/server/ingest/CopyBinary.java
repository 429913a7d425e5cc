package dev.dimmer.server.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format, appended field by field as the batch is read. Against the text format it
 * saves formatting timestamps and doubles here and, more importantly on a small machine, parsing them in PostgreSQL
 * ({@code timestamptz_in} is the most expensive part of a text COPY row of this table): timestamps travel as
 * microseconds since 2000-01-01, doubles as IEEE bits. Text is encoded to UTF-8 straight into the buffer, without an
 * intermediate byte array per field.
 */
final class CopyBinary {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private byte[] buffer;
    private int size;
    private int rows;
    private boolean finished;

    CopyBinary(int capacity) {
        buffer = Arrays.copyOf(HEADER, Math.max(capacity, 64));
        size = HEADER.length;
        int32(0); // flags
        int32(0); // header extension length
    }

    /** Starts a row of {@code columns} fields; every field must then be appended, in the table's column order. */
    CopyBinary row(int columns) {
        rows++;
        int16(columns);
        return this;
    }

    CopyBinary int64(long value) {
        int32(8);
        int64Bits(value);
        return this;
    }

    CopyBinary float8(double value) {
        int32(8);
        int64Bits(Double.doubleToRawLongBits(value));
        return this;
    }

    CopyBinary nullField() {
        int32(-1);
        return this;
    }

    /** A timestamptz given in microseconds since 1970-01-01T00:00Z. */
    CopyBinary timestamp(long epochMicros) {
        return int64(epochMicros - POSTGRES_EPOCH_MICROS);
    }

    /**
     * UTF-8, as {@link String#getBytes} with UTF-8 would encode it (an unpaired surrogate becomes {@code '?'}). The
     * value must not contain NUL, which PostgreSQL text cannot hold: {@link BatchReader} refuses such items.
     */
    CopyBinary text(CharSequence value) {
        int n = value.length();
        ensure(4 + 3 * n);
        int lengthAt = size;
        size += 4;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buffer[size++] = (byte) c;
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xc0 | c >> 6);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer[size++] = (byte) (0xf0 | cp >> 18);
                buffer[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
                buffer[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                buffer[size++] = '?';
            } else {
                buffer[size++] = (byte) (0xe0 | c >> 12);
                buffer[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            }
        }
        putInt32(lengthAt, size - lengthAt - 4);
        return this;
    }

    CopyBinary jsonb(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length + 1);
        ensure(bytes.length + 1);
        buffer[size++] = 1; // jsonb binary format version
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends the trailer; after this the first {@link #size()} bytes of {@link #buffer()} are the COPY data. */
    CopyBinary finish() {
        if (!finished) {
            int16(-1);
            finished = true;
        }
        return this;
    }

    /** The buffer itself, not a copy: only its first {@link #size()} bytes are data. */
    byte[] buffer() {
        return buffer;
    }

    int size() {
        return size;
    }

    int rows() {
        return rows;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    private void int16(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    private void int32(int value) {
        ensure(4);
        putInt32(size, value);
        size += 4;
    }

    private void putInt32(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private void int64Bits(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }
}
