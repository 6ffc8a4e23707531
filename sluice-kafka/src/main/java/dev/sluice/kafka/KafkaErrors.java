package dev.sluice.kafka;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.BrokerUnavailableException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.CorruptDataException;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.OffsetOutOfRangeException;
import dev.sluice.broker.RecordTooLargeException;
import dev.sluice.broker.TopicExistsException;
import dev.sluice.broker.UnknownTopicException;
import dev.sluice.broker.WakeupException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidOffsetException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Turns Kafka's exceptions into the Broker SPI's, with messages that say what to do. */
final class KafkaErrors {
    private KafkaErrors() {}

    /** The SPI exception for a Kafka failure; {@code what} says what was being done ("creating topic t"). */
    static BrokerException translate(Throwable e, String what, KafkaUrl url) {
        Throwable t = unwrap(e);
        if (t instanceof BrokerException b) {
            return b;
        }
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String message = what + " on " + url + " failed: " + detail;
        if (t instanceof org.apache.kafka.common.errors.TopicExistsException) {
            return new TopicExistsException(message, t);
        }
        if (t instanceof UnknownTopicOrPartitionException) {
            return new UnknownTopicException(message, t);
        }
        if (t instanceof org.apache.kafka.common.errors.InvalidTopicException
                || t instanceof InvalidConfigurationException
                || t instanceof InvalidPartitionsException
                || t instanceof InvalidReplicationFactorException
                || t instanceof PolicyViolationException) {
            return new InvalidTopicException(message, t);
        }
        if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
            return new RecordTooLargeException(message, t);
        }
        if (t instanceof org.apache.kafka.clients.consumer.CommitFailedException
                || t instanceof RebalanceInProgressException) {
            return new CommitFailedException(
                    what + " failed: this consumer no longer owns the partition (the group rebalanced): " + detail, t);
        }
        if (t instanceof InvalidOffsetException
                || t instanceof org.apache.kafka.clients.consumer.OffsetOutOfRangeException
                || t instanceof org.apache.kafka.clients.consumer.NoOffsetForPartitionException) {
            return new OffsetOutOfRangeException(message, t);
        }
        if (t instanceof org.apache.kafka.common.errors.WakeupException) {
            return new WakeupException("woken up", t);
        }
        if (t instanceof CorruptRecordException) {
            return new CorruptDataException(message, t);
        }
        if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
            return new BrokerException(message + " (check the SASL/TLS settings under kafka:)", t);
        }
        if (t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException) {
            return new BrokerUnavailableException(message, t);
        }
        return new BrokerException(message, t);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
