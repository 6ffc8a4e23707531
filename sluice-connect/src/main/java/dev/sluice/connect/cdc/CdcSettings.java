package dev.sluice.connect.cdc;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The settings of a {@code postgres-cdc} source, checked.
 *
 * @param tables the tables to capture as {@code schema.table}; empty to take those of an existing publication
 * @param create whether to create the publication and the slot when missing
 * @param snapshot whether to read the tables' rows first, on the first run
 */
record CdcSettings(
        String url,
        Properties credentials,
        String publication,
        String slot,
        List<String> tables,
        boolean create,
        boolean snapshot) {

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("url", "jdbc:postgresql://127.0.0.1:5432/shop", "the database, as a JDBC URL"),
                ConfigKey.optional("user", "postgres", "a user with the REPLICATION attribute (or superuser)"),
                ConfigKey.optional("password", "${env:PGPASSWORD}", "its password"),
                ConfigKey.optional(
                        "tables", "[public.orders, customers]", "tables to capture (default: the publication's)"),
                ConfigKey.optional(
                        "publication", "shop_cdc", "publication to read (default: sluice_<pipeline>_<source>)"),
                ConfigKey.optional("slot", "shop_cdc", "replication slot (default: sluice_<pipeline>_<source>)"),
                ConfigKey.optional("create", "false", "create the publication and slot when missing (default true)"),
                ConfigKey.optional("snapshot", "never", "initial (default): read the tables' rows first; never"));
    }

    static CdcSettings of(Config config, ConnectorContext context) {
        String url = config.string("url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw config.error(
                    "url",
                    "must be a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/shop; got '" + url + "'.");
        }
        Properties credentials = new Properties();
        if (config.has("user")) {
            credentials.setProperty("user", config.string("user"));
        }
        String password = config.secret("password", null);
        if (password != null) {
            credentials.setProperty("password", password);
        }
        String fallback = name("sluice_" + context.pipeline() + "_" + context.name());
        String publication = identifier(config, "publication", fallback);
        String slot = identifier(config, "slot", fallback);
        if (!slot.matches("[a-z0-9_]+")) {
            throw config.error(
                    "slot",
                    "may hold only lower-case letters, digits and underscores (a PostgreSQL slot name); got '" + slot
                            + "'.");
        }
        List<String> tables = new ArrayList<>();
        if (config.has("tables")) {
            for (String t : config.strings("tables")) {
                if (!t.matches("[^.\\s\"]+(\\.[^.\\s\"]+)?")) {
                    throw config.error(
                            "tables", "names a table as '" + t + "'; write schema.table or table (for public.table).");
                }
                tables.add(t.contains(".") ? t : "public." + t);
            }
            if (tables.isEmpty()) {
                throw config.error(
                        "tables",
                        "is empty; name the tables to capture, or leave it out to take the" + " publication's.");
            }
        }
        String snapshot = config.string("snapshot", "initial");
        if (!snapshot.equals("initial") && !snapshot.equals("never")) {
            throw config.error("snapshot", "must be initial or never; got '" + snapshot + "'.");
        }
        return new CdcSettings(
                url,
                credentials,
                publication,
                slot,
                List.copyOf(tables),
                config.bool("create", true),
                snapshot.equals("initial"));
    }

    private static String identifier(Config config, String key, String fallback) {
        String value = config.string(key, fallback);
        if (value.isEmpty() || value.length() > 63) {
            throw config.error(key, "must be a name of 1 to 63 characters; got '" + value + "'.");
        }
        return value;
    }

    /** A default name: lower case, anything but letters, digits and underscores turned into underscores. */
    private static String name(String raw) {
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return n.length() > 63 ? n.substring(0, 63) : n;
    }
}
