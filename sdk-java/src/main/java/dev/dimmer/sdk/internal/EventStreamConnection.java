package dev.dimmer.sdk.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTP/1.1 {@code GET} for a server-sent event stream over a plain socket, read line by
 * line. It exists for one property the JDK clients lack on Java 17: {@link #close()} from any
 * thread closes the socket at once, which also ends a read blocked on it. (Cancelling an
 * HttpClient body leaves the connection and its selector thread alive; HttpURLConnection's
 * {@code disconnect()} waits for the blocked read to finish first.)
 */
final class EventStreamConnection implements Closeable {

    private static final int MAX_LINE = 1 << 20;

    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final boolean chunked;
    private long chunkRemaining;
    private boolean ended;

    private EventStreamConnection(Socket raw, Socket socket, InputStream in, int status, boolean chunked) {
        this.raw = raw;
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.chunked = chunked;
    }

    static EventStreamConnection open(
            URI uri,
            SSLContext tlsContext,
            String authorization,
            String userAgent,
            int connectTimeoutMillis,
            int readTimeoutMillis)
            throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        Socket raw = new Socket();
        Socket socket = raw;
        try {
            raw.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMillis);
            raw.setSoTimeout(readTimeoutMillis);
            if (tls) {
                socket = verifiedTls(raw, tlsContext, uri.getHost(), port);
            }
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "Authorization: " + authorization + "\r\n"
                    + "User-Agent: " + userAgent + "\r\n"
                    + "Accept: text/event-stream\r\n"
                    + "Cache-Control: no-cache\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = readRawLine(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            boolean chunked = false;
            String header;
            while ((header = readRawLine(in)) != null && !header.isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            return new EventStreamConnection(raw, socket, in, status, chunked);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /**
     * Layers TLS over the connected socket with the same checks HttpClient makes for the snapshot
     * request: the certificate chain against the context's trust store, and the host name against
     * the certificate ("HTTPS" endpoint identification; a bare SSLSocket skips it). The handshake
     * runs here, before the SDK key is written, so a wrong certificate never sees the key.
     */
    static SSLSocket verifiedTls(Socket raw, SSLContext tlsContext, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tlsContext.getSocketFactory().createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.contains(":") || host.matches("[0-9.]+");
    }

    int status() {
        return status;
    }

    /** The next line of the body (UTF-8, without its terminator), or null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = readBodyByte();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("event stream line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private int readBodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            return in.read();
        }
        if (chunkRemaining == 0) {
            String size = readRawLine(in);
            if (size != null && size.isEmpty()) {
                size = readRawLine(in); // the CRLF that ends the previous chunk
            }
            if (size == null) {
                ended = true;
                return -1;
            }
            int extension = size.indexOf(';');
            chunkRemaining = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
            if (chunkRemaining == 0) {
                ended = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            ended = true;
            return -1;
        }
        chunkRemaining--;
        return b;
    }

    private static String readRawLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            if (line.length() >= 8192) {
                throw new IOException("HTTP header line too long");
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    /**
     * Closes the socket; a read blocked on it in another thread ends with an exception. The plain
     * socket under TLS is closed first: closing only the SSLSocket may wait for the blocked reader.
     */
    @Override
    public void close() {
        try {
            raw.close();
            if (socket != raw) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }
}
