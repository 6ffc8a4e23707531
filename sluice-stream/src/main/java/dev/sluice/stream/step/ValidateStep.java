package dev.sluice.stream.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code validate: {schema: {type: object, required: [id]}}} or {@code validate: {schema-file: order.schema.json}}
 * checks the event against a JSON Schema (draft 2020-12 unless the schema says otherwise); an event that does not
 * match goes to the dead-letter topic with every violation listed.
 */
final class ValidateStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "validate";
        }

        @Override
        public String usage() {
            return "validate: {schema: {type: object, required: [id]}} | validate: {schema-file: order.schema.json}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            var at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "validate", "{schema-file: order.schema.json}");
            Args.checkKeys(m, at, "validate", List.of(), List.of("schema", "schema-file"));
            JsonNode schemaNode;
            if (m.containsKey("schema") == m.containsKey("schema-file")) {
                throw new PipelineException(at, "validate needs either 'schema' (inline) or 'schema-file', not both.");
            } else if (m.containsKey("schema")) {
                schemaNode = Json.mapper().valueToTree(Args.map(m.get("schema"), at, "schema", "{type: object}"));
            } else {
                Path file = context.resolve(Args.string(m.get("schema-file"), at, "schema-file"));
                try {
                    schemaNode = Json.mapper().readTree(Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new PipelineException(at, "cannot read schema-file " + file + ": " + e.getMessage());
                }
            }
            try {
                Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(schemaNode);
                return new ValidateStep(schema);
            } catch (RuntimeException e) {
                throw new PipelineException(at, "the JSON Schema is not valid: " + e.getMessage());
            }
        }
    }

    private final Schema schema;

    private ValidateStep(Schema schema) {
        this.schema = schema;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        JsonNode node = Json.mapper().valueToTree(record.fields());
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new StepException(
                    "schema violation: " + errors.stream().map(Error::toString).collect(Collectors.joining("; ")));
        }
        out.accept(record);
    }
}
