package dev.sluice.stream.connector;

import java.util.List;

/**
 * A kind of source, found by its {@link #type()} with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.sluice.stream.connector.SourceConnector}); adding one touches no core code.
 */
public interface SourceConnector {
    String type();

    /** One line saying what it does, for `sluice connectors` and docs. */
    String description();

    List<ConfigKey> keys();

    /**
     * Checks the settings and builds a source; nothing is opened yet.
     *
     * @throws dev.sluice.stream.spec.PipelineException for bad settings
     */
    Source create(Config config, ConnectorContext context);
}
