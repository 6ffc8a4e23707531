package dev.sluice.connect.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.xnio.Options;

/**
 * The HTTP listener under every Sluice endpoint (ingest, the state of a running pipeline), on Undertow (chosen by
 * {@code sluice-bench/run.sh compare-http}, see docs/benchmarks.md): requests are read by its I/O threads without
 * holding one per connection, so clients that stall in their headers or idle cost a socket, not a thread. Every
 * listener has the same limits: a client has {@value #HEADERS_WITHIN_MS} ms to send a request's headers, a kept-alive
 * connection idle for {@value #IDLE_CLOSE_MS} ms is closed, and at most {@value #MAX_CONNECTIONS} connections are held
 * at once (more wait in the listen backlog until one closes).
 */
public final class HttpListener {
    public static final int HEADERS_WITHIN_MS = 10_000;
    public static final int IDLE_CLOSE_MS = 60_000;
    public static final int MAX_CONNECTIONS = 1_000;

    private HttpListener() {}

    /**
     * @param maxBody the largest request body; a larger one fails its request (the handler answers 413)
     * @throws BindException if the address is in use or not this machine's
     */
    public static Undertow start(String host, int port, long maxBody, HttpHandler handler) throws BindException {
        Undertow u = Undertow.builder()
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, HEADERS_WITHIN_MS)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_CLOSE_MS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxBody)
                .setSocketOption(Options.CONNECTION_HIGH_WATER, MAX_CONNECTIONS)
                .setSocketOption(Options.CONNECTION_LOW_WATER, MAX_CONNECTIONS)
                .setHandler(handler)
                .build();
        try {
            u.start();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException bind) {
                    throw bind;
                }
            }
            throw e;
        }
        return u;
    }

    /** The port it listens on (the one the system chose, for port 0). */
    public static int port(Undertow listener) {
        return ((InetSocketAddress) listener.getListenerInfo().get(0).getAddress()).getPort();
    }
}
