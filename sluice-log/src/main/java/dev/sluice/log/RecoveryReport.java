package dev.sluice.log;

import java.util.List;

/**
 * What the log found and repaired when it opened.
 *
 * @param cleanShutdown whether the previous process closed the log cleanly (then nothing is validated)
 * @param partitions one entry per partition where recovery validated, dropped or rebuilt something
 */
public record RecoveryReport(boolean cleanShutdown, List<PartitionRecovery> partitions) {
    public RecoveryReport {
        partitions = List.copyOf(partitions);
    }

    /** Total bytes of damaged or torn data that recovery removed. */
    public long droppedBytes() {
        return partitions.stream().mapToLong(PartitionRecovery::droppedBytes).sum();
    }

    /** One line per partition that lost data or had an index rebuilt, for a person to read. */
    public List<String> describe() {
        return partitions.stream()
                .filter(p -> p.droppedBytes() > 0 || p.indexesRebuilt() > 0)
                .map(PartitionRecovery::describe)
                .toList();
    }

    /**
     * Recovery of one partition.
     *
     * @param segmentsValidated segments whose every batch was checked
     * @param indexesRebuilt segments whose indexes were missing or damaged and were rebuilt
     * @param droppedBytes bytes removed after the last valid batch, later segments included
     * @param droppedFromOffset the first offset that was lost, or -1
     * @param problem why data was dropped, or null
     */
    public record PartitionRecovery(
            String topic,
            int partition,
            int segmentsValidated,
            int indexesRebuilt,
            long droppedBytes,
            long droppedFromOffset,
            String problem) {

        public String describe() {
            StringBuilder sb = new StringBuilder(topic + "/" + partition + ": ");
            if (droppedBytes > 0) {
                sb.append("dropped ")
                        .append(droppedBytes)
                        .append(" bytes from offset ")
                        .append(droppedFromOffset)
                        .append(" (")
                        .append(problem)
                        .append(")");
            }
            if (indexesRebuilt > 0) {
                sb.append(droppedBytes > 0 ? "; " : "")
                        .append("rebuilt the indexes of ")
                        .append(indexesRebuilt)
                        .append(indexesRebuilt == 1 ? " segment" : " segments");
            }
            return sb.toString();
        }
    }
}
