package dev.dimmer.server.ingest;

import dev.dimmer.server.system.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * Reads a whole request body into memory before any ingest slot is taken, within a size bound (413 past it) and a
 * deadline for the whole body (408 past it). The deadline is checked after every read, so a client trickling a byte
 * at a time is cut off when it passes; a client that sends nothing at all is cut off by the connector's socket read
 * timeout ({@code server.tomcat.connection-timeout}).
 */
final class BodyReader {

    private BodyReader() {}

    static byte[] read(InputStream in, long declaredLength, long maxBytes, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Grows with the bytes that actually arrive: a declared length alone must not allocate megabytes.
        int initial = (int) Math.min(Math.max(declaredLength, 8192), Math.min(maxBytes, 64 * 1024));
        ByteArrayOutputStream body = new ByteArrayOutputStream(initial);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = readOrRefuse(in, buffer)) >= 0) {
            if (body.size() + (long) n > maxBytes) {
                throw BatchReader.tooLarge("a batch body is at most " + maxBytes + " bytes");
            }
            body.write(buffer, 0, n);
            if (System.nanoTime() - deadline > 0) {
                throw timedOut(timeout);
            }
        }
        return body.toByteArray();
    }

    /** A client that drops the connection mid-body gets a 400 it will not read, not a logged server error. */
    private static int readOrRefuse(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "Invalid batch", "the body ended before it was complete: " + e);
        }
    }

    static ApiException timedOut(Duration timeout) {
        return new ApiException(
                HttpStatus.REQUEST_TIMEOUT,
                "Request timeout",
                "the batch body did not arrive within " + timeout.toMillis()
                        + " ms (dimmer.ingest.body-timeout); send it again");
    }
}
