package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                "1999-12-31T23:59:59Z")) {
            assertThat(Instants.parse(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
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
            assertThatThrownBy(() -> Instants.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
