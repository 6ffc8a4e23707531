package dev.sluice.log;

/**
 * Where an appended batch landed.
 *
 * @param baseOffset offset of its first record
 * @param lastOffset offset of its last record
 */
public record AppendResult(long baseOffset, long lastOffset) {}
