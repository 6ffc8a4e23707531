package dev.sluice.bench.pipelines;

/**
 * One engine's run of one workload.
 *
 * @param workload {@code w1} or {@code w2}
 * @param engine {@code sluice}, {@code flink} or {@code loop}
 * @param round 1, 2, ...
 * @param measured what {@code /usr/bin/time} measured of the process
 * @param before how idle the machine was before the run
 * @param answer what the engine's output adds up to (null if it could not be read)
 * @param innerSeconds the time the engine reports for itself (Sluice's summary, Flink's job), or NaN
 * @param problem why the run does not count (exit status, wrong answer), or null when it checked out
 * @param summary Sluice's {@code --json} summary as printed, or null
 */
record Run(
        String workload,
        String engine,
        int round,
        long events,
        Measured measured,
        Idle.Wait before,
        Answer answer,
        double innerSeconds,
        String problem,
        String summary) {
    boolean ok() {
        return problem == null;
    }

    double eventsPerSecond() {
        return events / measured.elapsedSeconds();
    }
}
