package dev.sluice.app.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.UserErrors.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice state STAGE KEY}: a window's current results for a key, from a pipeline run with {@code --http}. */
@Command(
        name = "state",
        description =
                "Show the current window results a running stage holds for a key (the pipeline runs with --http).",
        mixinStandardHelpOptions = true)
public final class StateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STAGE", description = "The stage with the window.")
    String stage;

    @Parameters(
            index = "1",
            paramLabel = "KEY",
            description = "The key: the value grouped by, or a JSON array of several.")
    String key;

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Where the pipeline serves HTTP (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String target = url.replaceAll("/+$", "") + "/stages/" + URLEncoder.encode(stage, StandardCharsets.UTF_8)
                + "/state?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(target))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new UserException("No pipeline answers at " + url + " (" + why + "). Run it with"
                    + " 'sluice run FILE --http 8080', or give --url.");
        }
        JsonNode body = Output.JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new UserException(body.path("error").asText("HTTP " + response.statusCode()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(response.body().trim());
        } else if (body.path("results").isEmpty()) {
            out.println("No window of stage " + stage + " holds key " + key + " now.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>();
            body.path("results").get(0).fieldNames().forEachRemaining(header::add);
            rows.add(header);
            for (JsonNode r : body.path("results")) {
                List<String> row = new ArrayList<>();
                for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                    JsonNode v = r.get(it.next());
                    row.add(v.isTextual() ? v.asText() : v.toString());
                }
                rows.add(row);
            }
            Output.table(out, rows);
        }
        out.flush();
        return 0;
    }
}
