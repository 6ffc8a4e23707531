package dev.sluice.broker;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Opens a broker by URL, choosing the backend by the URL's scheme. */
public final class Brokers {
    private Brokers() {}

    public static Broker open(String url) {
        return open(url, Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the schemes that are available, if none serves this URL
     */
    public static Broker open(String url, Map<String, String> options) {
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        List<BrokerProvider> providers = ServiceLoader.load(BrokerProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        return providers.stream()
                .filter(p -> p.scheme().equals(scheme))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown broker URL '" + url + "': use one of "
                        + providers.stream().map(BrokerProvider::example).collect(Collectors.joining(", ")) + "."))
                .open(url, options);
    }
}
