package dev.sluice.stream.json;

import dev.sluice.stream.step.StepException;

/** Bytes that are not the JSON a step expected. */
public final class JsonException extends StepException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
