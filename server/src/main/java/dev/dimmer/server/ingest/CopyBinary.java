package dev.dimmer.server.ingest;

import dev.dimmer.server.ingest.Items.Event;
import dev.dimmer.server.ingest.Items.Impression;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format. Against the text format it saves formatting timestamps and doubles here
 * and, more importantly on a small machine, parsing them in PostgreSQL ({@code timestamptz_in} is the most expensive
 * part of a text COPY row of this table): timestamps travel as microseconds since 2000-01-01, doubles as IEEE bits.
 */
final class CopyBinary {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private byte[] buffer;
    private int size;

    private CopyBinary(int capacity) {
        buffer = Arrays.copyOf(HEADER, Math.max(capacity, 64));
        size = HEADER.length;
        int32(0); // flags
        int32(0); // header extension length
    }

    static byte[] events(long environmentId, List<Event> events) {
        CopyBinary out = new CopyBinary(64 + events.size() * 80);
        for (Event e : events) {
            out.int16(6);
            out.int64Field(environmentId);
            out.text(e.key());
            out.text(e.type());
            if (e.value() == null) {
                out.nullField();
            } else {
                out.int32(8);
                out.int64(Double.doubleToRawLongBits(e.value()));
            }
            if (e.properties() == null) {
                out.nullField();
            } else {
                out.jsonb(e.properties());
            }
            out.timestamp(e.time());
        }
        return out.finish();
    }

    static byte[] impressions(long environmentId, List<Impression> impressions) {
        CopyBinary out = new CopyBinary(64 + impressions.size() * 96);
        for (Impression i : impressions) {
            out.int16(7);
            out.int64Field(environmentId);
            out.text(i.flag());
            out.text(i.key());
            out.text(i.treatment());
            out.text(i.label());
            if (i.changeNumber() == null) {
                out.nullField();
            } else {
                out.int64Field(i.changeNumber());
            }
            out.timestamp(i.time());
        }
        return out.finish();
    }

    private byte[] finish() {
        int16(-1);
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    private void nullField() {
        int32(-1);
    }

    private void int64Field(long value) {
        int32(8);
        int64(value);
    }

    private void timestamp(Instant t) {
        long micros = Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L)
                + Math.round(t.getNano() / 1000.0);
        int64Field(micros);
    }

    private void text(String value) {
        // PostgreSQL text cannot hold NUL; the validated strings rarely contain one
        String clean = value.indexOf('\0') < 0 ? value : value.replace("\0", "");
        byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void jsonb(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length + 1);
        ensure(bytes.length + 1);
        buffer[size++] = 1; // jsonb binary format version
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void int16(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    private void int32(int value) {
        ensure(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    private void int64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }
}
