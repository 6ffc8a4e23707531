package dev.sluice.kafka;

import dev.sluice.broker.Admin;
import dev.sluice.broker.Broker;
import dev.sluice.broker.BrokerUnavailableException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.TransactionalProducer;
import dev.sluice.log.config.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * A Kafka cluster as a Sluice broker. Opening it waits, with backoff, until the cluster answers or {@code
 * startup-timeout} passes. Thread-safe; each producer and consumer is a Kafka client of its own.
 */
final class KafkaBroker implements Broker {
    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());

    private final ClientSettings settings;
    private final org.apache.kafka.clients.admin.Admin client;
    private final TopicCatalog topics;
    private final KafkaAdmin admin;

    private KafkaBroker(ClientSettings settings, org.apache.kafka.clients.admin.Admin client) {
        this.settings = settings;
        this.client = client;
        this.topics = new TopicCatalog(client, settings.url());
        this.admin = new KafkaAdmin(client, topics, settings.url());
    }

    /**
     * @throws BrokerUnavailableException if the cluster did not answer within the startup timeout
     * @throws IllegalArgumentException for settings Kafka refuses
     */
    static KafkaBroker connect(ClientSettings settings) {
        long timeoutMs = settings.startupTimeoutMs();
        org.apache.kafka.clients.admin.Admin client;
        try {
            client = org.apache.kafka.clients.admin.Admin.create(settings.admin());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("Cannot connect to " + settings.url() + ": " + message(rootCause(e))
                    + ". Check the URL and the settings under kafka:.");
        }
        try {
            awaitCluster(client, settings.url(), timeoutMs);
        } catch (RuntimeException e) {
            client.close(Duration.ZERO);
            throw e;
        }
        return new KafkaBroker(settings, client);
    }

    private static void awaitCluster(org.apache.kafka.clients.admin.Admin client, KafkaUrl url, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long backoffMs = 250;
        for (int attempt = 1; ; attempt++) {
            String why;
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                client.describeCluster(
                                new DescribeClusterOptions().timeoutMs((int) Math.max(1, Math.min(leftMs, 5_000))))
                        .nodes()
                        .get();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("Interrupted while connecting to " + url + ".");
            } catch (Exception e) {
                // a plain TCP connection says more (refused, unknown host) than Kafka's timeout
                why = probe(url).orElse(message(KafkaErrors.unwrap(e)));
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new BrokerUnavailableException("Cannot reach Kafka at " + url + " within "
                        + Durations.format(timeoutMs) + ": " + why + ". Check that the broker is running and"
                        + " listening at " + url.bootstrapServers() + ", or wait longer with the kafka setting "
                        + ClientSettings.STARTUP_TIMEOUT + " (for example kafka: {startup-timeout: 5m}).");
            }
            long sleep = Math.min(backoffMs, left);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Kafka at {0} is not reachable yet ({1}); attempt {2}, trying again in {3} ms, giving up after {4}",
                    url,
                    why,
                    attempt,
                    Long.toString(sleep),
                    Durations.format(timeoutMs));
            sleepMs(sleep);
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    /** Why a plain TCP connection to the first address fails, if it does: clearer than Kafka's timeouts. */
    private static java.util.Optional<String> probe(KafkaUrl url) {
        String first = url.bootstrapServers().split(",")[0];
        int colon = first.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    2_000);
            return java.util.Optional.empty();
        } catch (UnknownHostException e) {
            return java.util.Optional.of("unknown host " + first.substring(0, colon));
        } catch (IOException e) {
            return java.util.Optional.of("connection to " + first + " failed: " + e.getMessage());
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while connecting to Kafka.");
        }
    }

    @Override
    public String url() {
        return settings.url().url();
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public Producer producer(ProducerConfig config) {
        return new KafkaEventProducer(settings, config, topics);
    }

    @Override
    public Consumer consumer(ConsumerConfig config) {
        return new KafkaEventConsumer(settings, config, topics);
    }

    @Override
    public boolean supportsTransactions() {
        return true;
    }

    @Override
    public TransactionalProducer transactionalProducer(String id) {
        return new KafkaTransactionalProducer(settings, id, topics);
    }

    @Override
    public void close() {
        client.close(Duration.ofSeconds(10));
    }
}
