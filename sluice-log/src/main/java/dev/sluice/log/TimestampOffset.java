package dev.sluice.log;

/** A record's offset with its timestamp, the answer to a search by time. */
public record TimestampOffset(long offset, long timestamp) {}
