package dev.sluice.stream.json;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.List;

/** Splits one CSV line into its cells (quotes and escaped quotes handled). Thread-safe. */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private Csv() {}

    /**
     * @throws IOException if the line is not valid CSV
     */
    public static List<String> cells(String line, char delimiter) throws IOException {
        try (MappingIterator<List<String>> it = MAPPER.readerForListOf(String.class)
                .with(CsvSchema.emptySchema().withColumnSeparator(delimiter))
                .readValues(line)) {
            return it.hasNext() ? it.next() : List.of();
        }
    }
}
