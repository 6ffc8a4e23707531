package dev.sluice.stream.join;

/**
 * The tables the steps of a run join with, kept up to date from their topics. One table per source is shared by every
 * task of a run. Thread-safe.
 */
public interface Tables {
    /** For steps made outside a running pipeline (checking a pipeline): no table can be read. */
    Tables NONE = source -> {
        throw new IllegalStateException(
                "table '" + source.topic() + "' can only be read while the pipeline runs on a broker");
    };

    /**
     * The table kept from this source: on the first call for it, the topic is read up to its current end before this
     * returns, so an event is never joined with a half-loaded table; from then on it follows the topic.
     */
    VersionedTable table(TableSource source);
}
