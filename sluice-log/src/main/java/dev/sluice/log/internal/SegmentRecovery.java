package dev.sluice.log.internal;

/**
 * What recovery found in one segment.
 *
 * @param droppedBytes bytes truncated after the last valid batch
 * @param problem why the first dropped batch was rejected, or null when nothing was dropped
 */
record SegmentRecovery(long baseOffset, int validBatches, long validBytes, long droppedBytes, String problem) {}
