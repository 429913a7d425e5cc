package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CopyBinaryTests {

    /** Header (11 bytes), flags and extension length (4 + 4), one row's field count (2), the field's length (4). */
    private static final int TEXT_AT = 11 + 4 + 4 + 2 + 4;

    @Test
    void text_encodesAsStringGetBytes() {
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'a', 'Z', '0', '\t', 'é', 'ü', '€', '中', '\ud83d', '\ude00', '\udbff', '\udfff'};
        for (int n = 0; n < 10_000; n++) {
            char[] chars = new char[random.nextInt(12)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String value = new String(chars);
            byte[] expected = value.getBytes(StandardCharsets.UTF_8);

            CopyBinary rows = new CopyBinary(16).row(1).text(value);
            byte[] field = Arrays.copyOfRange(rows.buffer(), TEXT_AT, rows.size());
            int length = (rows.buffer()[TEXT_AT - 4] & 0xff) << 24
                    | (rows.buffer()[TEXT_AT - 3] & 0xff) << 16
                    | (rows.buffer()[TEXT_AT - 2] & 0xff) << 8
                    | rows.buffer()[TEXT_AT - 1] & 0xff;
            assertThat(field).as(value).isEqualTo(expected);
            assertThat(length).as(value).isEqualTo(expected.length);
        }
    }
}
