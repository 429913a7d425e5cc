package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstantsTests {

    @Test
    void parse_agreesWithOffsetDateTime() {
        for (String text : List.of(
                "2026-11-26T10:15:30Z",
                "2026-11-26T10:15:30.1Z",
                "2026-11-26T10:15:30.123Z",
                "2026-11-26T10:15:30.123456789Z",
                "2024-02-29T23:59:59.999Z",
                "2026-11-26T10:15:30+02:00",
                "2026-11-26T10:15:30.5-05:30",
                "2026-11-26T10:15:30.0000005Z", // rounds half up to the microsecond
                "2026-11-26T10:15:30.9999996Z", // into the next second
                "2026-11-26T10:15:30.1234565+01:00",
                "1969-12-31T23:59:59.25Z", // before the epoch
                "1999-12-31T23:59:59Z")) {
            Instant expected = OffsetDateTime.parse(text).toInstant();
            long micros = expected.getEpochSecond() * 1_000_000L + Math.round(expected.getNano() / 1000.0);
            assertThat(Instants.parseMicros(text)).as(text).isEqualTo(micros);
        }
    }

    @Test
    void ofMicros_invertsMicros() {
        for (String text : List.of("2026-11-26T10:15:30.123456Z", "1969-12-31T23:59:59.25Z", "1970-01-01T00:00:00Z")) {
            Instant instant = Instant.parse(text);
            assertThat(Instants.ofMicros(Instants.micros(instant))).as(text).isEqualTo(instant);
        }
    }

    @Test
    void parse_invalid_throws() {
        for (String text : List.of(
                "2026-02-30T10:15:30Z",
                "2026-11-26T24:00:00Z",
                "2026-11-26 10:15:30Z",
                "2026-11-26T10:15:30",
                "2026-11-26T10:15:30.1234567890Z",
                "yesterday",
                "")) {
            assertThatThrownBy(() -> Instants.parseMicros(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
