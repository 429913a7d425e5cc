package dev.dimmer.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer on 127.0.0.1 in front of replicas, as nginx is in deploy/nginx.conf: each new connection goes to
 * the next replica in turn, or to the following one when that refuses the connection (a dead replica). A connection
 * whose replica dies is closed on the client's side too, so the client reconnects — and lands on a live replica.
 */
final class Balancer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> upstreamPorts;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Balancer(List<Integer> upstreamPorts) {
        this.upstreamPorts = List.copyOf(upstreamPorts);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "balancer-accept");
        accept.setDaemon(true);
        accept.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = connect();
            if (upstream == null) {
                closeQuietly(client); // no replica alive: the client sees the connection closed
                continue;
            }
            open.add(client);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    /** The next replica that accepts a connection, trying each once; null when none does. */
    private Socket connect() {
        int first = Math.floorMod(next.getAndIncrement(), upstreamPorts.size());
        for (int i = 0; i < upstreamPorts.size(); i++) {
            int port = upstreamPorts.get((first + i) % upstreamPorts.size());
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException refused) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ended) {
                        // either side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "balancer-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(Balancer::closeQuietly);
    }
}
