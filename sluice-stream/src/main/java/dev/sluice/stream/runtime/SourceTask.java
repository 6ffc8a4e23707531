package dev.sluice.stream.runtime;

import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.stream.connector.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one source on its own thread: poll, publish, wait for the acknowledgements, then store the position. Stops when
 * asked or when the source has nothing more to give.
 */
final class SourceTask implements Runnable {
    private final PipelinePlan.SourcePlan plan;
    private final Producer producer;
    private final SourcePositions positions;
    private final Metrics metrics;
    private final TaskSupervisor supervisor;
    private volatile boolean running = true;
    private volatile boolean finished;

    SourceTask(
            PipelinePlan.SourcePlan plan,
            Producer producer,
            SourcePositions positions,
            Metrics metrics,
            TaskSupervisor supervisor) {
        this.plan = plan;
        this.producer = producer;
        this.positions = positions;
        this.metrics = metrics;
        this.supervisor = supervisor;
    }

    @Override
    public void run() {
        String pipeline = plan.context().pipeline();
        String name = plan.spec().name();
        try (Source source = plan.connector().create(plan.config(), plan.context())) {
            if (source instanceof Source.Push push) {
                runPush(push);
                return;
            }
            source.open(positions.load(pipeline, name));
            while (running) {
                Source.Batch batch = source.poll(Duration.ofMillis(200));
                if (batch == null) {
                    finished = true;
                    return;
                }
                if (batch.events().isEmpty()) {
                    continue;
                }
                publish(batch.events());
                positions.store(pipeline, name, batch.position());
                metrics.out.add(batch.events().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            supervisor.failed("source " + name, e);
        }
    }

    private void runPush(Source.Push source) throws Exception {
        source.open(null);
        source.start(new Source.Publisher() {
            @Override
            public CompletableFuture<List<SendResult>> publish(List<Event> events) {
                List<CompletableFuture<SendResult>> sent = new ArrayList<>(events.size());
                for (Event e : events) {
                    sent.add(producer.send(plan.spec().to(), e));
                }
                return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                        .thenApply(v -> {
                            metrics.out.add(events.size());
                            return sent.stream().map(CompletableFuture::join).toList();
                        });
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        });
        while (running) {
            Thread.sleep(100);
        }
    }

    private void publish(List<Event> events) {
        List<CompletableFuture<SendResult>> sent = new ArrayList<>(events.size());
        for (Event e : events) {
            sent.add(producer.send(plan.spec().to(), e));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }

    boolean isFinished() {
        return finished;
    }

    void stop() {
        running = false;
    }
}
