package dev.sluice.connect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP ingest never listens beyond this machine without a token, unless the pipeline says so in as many words. */
class HttpSourceSettingsTest {
    private static final Location AT = new Location("api.yaml", 9, 5);

    private static Object create(Map<String, Object> settings) {
        HttpSource connector = new HttpSource();
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.put("port", 8080);
        Config config = Config.check("source ingest", m, connector.keys(), AT);
        return connector.create(
                config, new ConnectorContext("api", "ingest", "orders", Path.of("."), Clock.systemUTC(), 0, AT));
    }

    @Test
    void shouldRefuseAllInterfacesWithoutATokenAndSayWhatToDo() {
        assertThatThrownBy(() -> create(Map.of("host", "0.0.0.0")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("'0.0.0.0' lets other machines send events, so it needs 'token'")
                .hasMessageContaining("'allow-unauthenticated: true'");
        assertThat(create(Map.of("host", "0.0.0.0", "token", "s3cret"))).isNotNull();
        assertThat(create(Map.of("host", "0.0.0.0", "allow-unauthenticated", true)))
                .isNotNull();
        assertThat(create(Map.of("host", "127.0.0.1"))).isNotNull();
        assertThat(create(Map.of())).isNotNull();
    }
}
