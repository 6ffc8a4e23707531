package dev.sluice.stream.runtime;

import dev.sluice.broker.Producer;

/**
 * How a stage with state checkpoints it.
 *
 * @param changelog the stage's changelog topic
 * @param producer writes checkpoints in the background
 * @param intervalMs how often
 */
record CheckpointSettings(Changelog changelog, Producer producer, long intervalMs) {}
