package dev.sluice.broker;

/** A commit for partitions this consumer no longer owns, because its group rebalanced. */
public class CommitFailedException extends BrokerException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(String message) {
        super(message);
    }

    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
