package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchReaderTests {

    @Test
    void isEventType_agreesWithThePattern() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "aZ09._:-/ é";
        for (int n = 0; n < 20_000; n++) {
            boolean nearTheLimit = n % 50 == 0;
            String chars = nearTheLimit ? "aZ09._:-" : alphabet; // long random strings would never match
            int length = nearTheLimit ? 125 + random.nextInt(8) : random.nextInt(6);
            StringBuilder type = new StringBuilder();
            for (int i = 0; i < length; i++) {
                type.append(chars.charAt(random.nextInt(chars.length())));
            }
            assertThat(BatchReader.isEventType(type))
                    .as(type.toString())
                    .isEqualTo(BatchReader.EVENT_TYPE.matcher(type).matches());
        }
    }
}
