package dev.dimmer.server.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TmpParseTiming {
    @Test
    void time() {
        Instant now = Instant.now();
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder json = new StringBuilder()
                .append("{\"batchId\":\"")
                .append(UUID.randomUUID())
                .append("\",\"events\":[");
        for (int i = 0; i < 1000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"user-")
                    .append(random.nextInt(1_000_000))
                    .append("\",\"type\":\"page.view\",\"value\":")
                    .append(Math.round(random.nextDouble() * 10_000) / 100.0)
                    .append(",\"time\":\"")
                    .append(now.minusMillis(random.nextInt(3_600_000)))
                    .append("\"}");
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        JsonMapper mapper = JsonMapper.builder().build();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            BatchReader.Batch batch = null;
            for (int i = 0; i < 200; i++) {
                batch = new BatchReader(mapper, BatchKind.EVENTS, 10000, now, Duration.ofDays(30), Duration.ofHours(1))
                        .read(new ByteArrayInputStream(body));
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                IngestService.eventRows(1, batch.events());
            }
            long t2 = System.nanoTime();
            System.out.printf("parse %.1f us/event, rows %.1f us/event%n", (t1 - t0) / 200e3 / 1, (t2 - t1) / 200e3);
        }
    }
}
