package dev.sluice.broker;

/**
 * Consumer settings.
 *
 * @param groupId the consumer group, or null for a consumer that assigns partitions itself and commits nothing
 * @param offsetReset where to start without a committed offset (or when it was deleted by retention)
 * @param maxPollEvents most events one {@code poll} returns
 * @param maxPollIntervalMs a group member that does not poll for this long is removed and its partitions reassigned
 * @param fetchBytes bytes read from one partition at a time
 * @param checkCrcs verify each batch's CRC-32C before handing its events out
 * @param readCommitted see only events of committed transactions (for brokers with transactions)
 */
public record ConsumerConfig(
        String groupId,
        OffsetReset offsetReset,
        int maxPollEvents,
        long maxPollIntervalMs,
        int fetchBytes,
        boolean checkCrcs,
        boolean readCommitted) {

    public ConsumerConfig {
        if (groupId != null && groupId.isBlank()) {
            throw new IllegalArgumentException("a group id cannot be blank");
        }
        if (maxPollEvents < 1 || maxPollIntervalMs < 1 || fetchBytes < 1) {
            throw new IllegalArgumentException("maxPollEvents, maxPollIntervalMs and fetchBytes must be positive");
        }
    }

    /** No group, earliest, 500 events per poll, 5 minutes poll interval, 1 MiB fetches, CRCs checked. */
    public static ConsumerConfig defaults() {
        return new ConsumerConfig(null, OffsetReset.EARLIEST, 500, 300_000, 1 << 20, true, false);
    }

    public static ConsumerConfig group(String groupId) {
        return defaults().withGroupId(groupId);
    }

    public ConsumerConfig withGroupId(String groupId) {
        return new ConsumerConfig(
                groupId, offsetReset, maxPollEvents, maxPollIntervalMs, fetchBytes, checkCrcs, readCommitted);
    }

    public ConsumerConfig withOffsetReset(OffsetReset reset) {
        return new ConsumerConfig(
                groupId, reset, maxPollEvents, maxPollIntervalMs, fetchBytes, checkCrcs, readCommitted);
    }

    public ConsumerConfig withMaxPollEvents(int max) {
        return new ConsumerConfig(groupId, offsetReset, max, maxPollIntervalMs, fetchBytes, checkCrcs, readCommitted);
    }

    public ConsumerConfig withReadCommitted(boolean readCommitted) {
        return new ConsumerConfig(
                groupId, offsetReset, maxPollEvents, maxPollIntervalMs, fetchBytes, checkCrcs, readCommitted);
    }

    public ConsumerConfig withMaxPollIntervalMs(long millis) {
        return new ConsumerConfig(groupId, offsetReset, maxPollEvents, millis, fetchBytes, checkCrcs, readCommitted);
    }
}
