package dev.sluice.broker;

/** A topic or partition that does not exist was named. */
public class UnknownTopicException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    public UnknownTopicException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A partition number outside the topic's partitions. */
    public static UnknownTopicException partition(TopicPartition tp, int partitions) {
        return new UnknownTopicException("Partition " + tp.partition() + " does not exist: topic " + tp.topic()
                + " has " + partitions + " partitions (0-" + (partitions - 1) + ").");
    }
}
