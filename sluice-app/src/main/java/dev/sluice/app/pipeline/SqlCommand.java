package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.UserErrors.UserException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice sql DB QUERY}: runs a query on a DuckDB file written by a pipeline (no DuckDB install needed). */
@Command(
        name = "sql",
        description = "Query a DuckDB file, such as the one a duckdb sink writes, or with the query alone the files a"
                + " parquet sink writes (read_parquet('lake/**/*.parquet')).",
        mixinStandardHelpOptions = true)
public final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "1..2",
            paramLabel = "[DB] QUERY",
            description = "The DuckDB database file (leave it out to query files), and the SQL query.")
    List<String> arguments;

    @Option(names = "--json", description = "One JSON object per row.")
    boolean json;

    @Override
    public Integer call() {
        Path database = arguments.size() == 2 ? Path.of(arguments.get(0)) : null;
        String query = arguments.get(arguments.size() - 1);
        if (database != null && !Files.exists(database)) {
            throw new UserException(
                    "Database file " + database + " does not exist. Run the pipeline that writes it first.");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = database == null
                        ? DriverManager.getConnection("jdbc:duckdb:")
                        : DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath(), readOnly());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.add(md.getColumnLabel(i));
            }
            rows.add(header);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.add(String.valueOf(v));
                    object.put(
                            header.get(i - 1),
                            v == null ? null : v instanceof Number || v instanceof Boolean ? v : v.toString());
                }
                if (json) {
                    out.println(Output.json(object));
                } else {
                    rows.add(row);
                }
            }
            if (!json) {
                Output.table(out, rows);
            }
        } catch (SQLException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            if (first.contains("Could not set lock on file")) {
                throw new UserException("The database " + database + " is held by another process (a running"
                        + " pipeline writing to it, most likely): DuckDB lets one process open a file at a time."
                        + " Stop that pipeline first, or query a copy (cp " + database + " /tmp/copy.duckdb).");
            }
            throw new UserException("The query failed: " + first);
        }
        out.flush();
        return 0;
    }

    private static java.util.Properties readOnly() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("duckdb.read_only", "true");
        return p;
    }
}
