package dev.sluice.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * A light HTTP/1.1 load from plain sockets: C threads, each with one kept-alive connection, sending the same POST and
 * reading each answer before the next. Closed loop (as fast as answers come) or paced (a fixed rate per connection,
 * each latency counted from when the request was due, so a slow answer is not hidden by the requests it delayed).
 */
final class HttpLoad {
    /** What a run gave: requests answered, those not answered 200, and their latencies in nanoseconds. */
    record Result(long requests, long failed, Histogram latencies) {
        String describe(int seconds) {
            return String.format(
                    Locale.ROOT,
                    "%,d requests/s, p50 %.2f ms, p99 %.2f ms%s",
                    requests / seconds,
                    latencies.getValueAtPercentile(50) / 1e6,
                    latencies.getValueAtPercentile(99) / 1e6,
                    failed == 0 ? "" : ", " + failed + " not answered 200");
        }
    }

    private HttpLoad() {}

    static byte[] post(String path, String headers, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(body);
        return b.toByteArray();
    }

    /**
     * @param perSecond requests per second per connection, or 0 for as fast as answers come
     */
    static Result run(int port, byte[] request, int connections, int seconds, int perSecond) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        long[] counts = new long[connections];
        long[] failed = new long[connections];
        Histogram[] each = new Histogram[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int i = c;
            each[i] = new Histogram(60_000_000_000L, 3);
            Thread t = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    long interval = perSecond > 0 ? 1_000_000_000L / perSecond : 0;
                    long due = System.nanoTime();
                    while (running.get()) {
                        if (interval > 0) {
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        } else {
                            due = System.nanoTime();
                        }
                        out.write(request);
                        out.flush();
                        if (readAnswer(in) != 200) {
                            failed[i]++;
                        }
                        each[i].recordValue(Math.max(0, System.nanoTime() - due));
                        counts[i]++;
                        due += interval;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long total = 0;
        long notOk = 0;
        Histogram latencies = new Histogram(60_000_000_000L, 3);
        for (int c = 0; c < connections; c++) {
            threads.get(c).join();
            total += counts[c];
            notOk += failed[c];
            latencies.add(each[c]);
        }
        return new Result(total, notOk, latencies);
    }

    /** Reads one answer (its headers, then a body of Content-Length bytes or of chunks); returns its status. */
    static int readAnswer(InputStream in) throws IOException {
        String status = readLine(in);
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size; (size = Integer.parseInt(readLine(in).trim(), 16)) > 0; ) {
                in.readNBytes(size);
                readLine(in);
            }
            readLine(in);
        } else if (length > 0) {
            in.readNBytes(length);
        }
        return code;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
