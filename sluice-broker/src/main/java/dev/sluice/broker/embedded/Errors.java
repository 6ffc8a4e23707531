package dev.sluice.broker.embedded;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.BrokerUnavailableException;
import dev.sluice.broker.CorruptDataException;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.OffsetOutOfRangeException;
import dev.sluice.broker.RecordTooLargeException;
import dev.sluice.broker.TopicExistsException;
import dev.sluice.broker.UnknownTopicException;
import dev.sluice.log.DataDirectoryException;
import dev.sluice.log.LogClosedException;
import dev.sluice.log.LogException;
import dev.sluice.log.LogStorageException;
import dev.sluice.log.UnknownPartitionException;
import dev.sluice.log.config.InvalidConfigException;
import dev.sluice.log.record.CorruptRecordException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

/** Turns the log's exceptions into the broker SPI's, keeping their messages. */
final class Errors {
    private Errors() {}

    static BrokerException translate(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String m = e.getMessage();
        if (e instanceof BrokerException be) {
            return be;
        }
        if (e instanceof dev.sluice.log.UnknownTopicException || e instanceof UnknownPartitionException) {
            return new UnknownTopicException(m, e);
        }
        if (e instanceof dev.sluice.log.TopicExistsException) {
            return new TopicExistsException(m, e);
        }
        if (e instanceof dev.sluice.log.InvalidTopicException || e instanceof InvalidConfigException) {
            return new InvalidTopicException(m, e);
        }
        if (e instanceof dev.sluice.log.RecordTooLargeException) {
            return new RecordTooLargeException(m, e);
        }
        if (e instanceof dev.sluice.log.OffsetOutOfRangeException) {
            return new OffsetOutOfRangeException(m, e);
        }
        if (e instanceof CorruptRecordException) {
            return new CorruptDataException(m, e);
        }
        if (e instanceof LogStorageException) {
            return new BrokerException(m, e); // not retriable: the disk needs someone first
        }
        if (e instanceof LogClosedException || e instanceof DataDirectoryException) {
            return new BrokerUnavailableException(m, e);
        }
        if (e instanceof LogException || e instanceof UncheckedIOException) {
            return new BrokerUnavailableException("Storage error: " + m, e);
        }
        return new BrokerException(String.valueOf(m), e);
    }
}
