package dev.sluice.stream.step;

/**
 * An event came after every window it belongs to was closed for good (behind the watermark by more than the allowed
 * lateness). It goes to {@link #topic()}, with this message as the reason, instead of the dead-letter topic.
 */
public final class LateEventException extends StepException {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public LateEventException(String topic, String message) {
        super(message);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
