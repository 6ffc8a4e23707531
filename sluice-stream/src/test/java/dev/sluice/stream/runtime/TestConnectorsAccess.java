package dev.sluice.stream.runtime;

import dev.sluice.stream.connector.Connectors;

/** Lets tests in other packages use the in-memory test connectors. */
public final class TestConnectorsAccess {
    private TestConnectorsAccess() {}

    public static Connectors all() {
        return TestConnectors.all();
    }
}
