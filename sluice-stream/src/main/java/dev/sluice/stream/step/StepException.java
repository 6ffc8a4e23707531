package dev.sluice.stream.step;

/**
 * A step could not process one event: bad input, a failing expression, a schema violation. The event goes to the
 * stage's dead-letter topic with this message; the stage goes on.
 */
public class StepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StepException(String message) {
        super(message);
    }

    public StepException(String message, Throwable cause) {
        super(message, cause);
    }
}
