package dev.sluice.broker;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Topic and consumer-group administration. Thread-safe. */
public interface Admin {
    /**
     * @throws TopicExistsException if the name is taken
     * @throws InvalidTopicException for a bad name, partition count or config value, with the rule it breaks
     */
    void createTopic(NewTopic topic);

    /** Creates the topic unless one of that name exists; returns true if it was created. */
    default boolean createTopicIfMissing(NewTopic topic) {
        try {
            createTopic(topic);
            return true;
        } catch (TopicExistsException e) {
            return false;
        }
    }

    /**
     * Names of the topics, sorted; internal topics only if asked: those of the broker ({@code __...}) and of the
     * pipeline runtime ({@code _sluice...}).
     */
    List<String> listTopics(boolean includeInternal);

    /**
     * @throws UnknownTopicException if it does not exist
     */
    TopicDescription describeTopic(String name);

    /**
     * @throws UnknownTopicException if it does not exist
     */
    void deleteTopic(String name);

    /**
     * Changes some settings of a topic (keys as in {@link NewTopic#config()}), keeping the others.
     *
     * @throws UnknownTopicException if it does not exist
     * @throws InvalidTopicException for an unknown key or a bad value, or a topic of the broker's own
     */
    void alterTopicConfig(String name, Map<String, String> changes);

    /** Groups that have committed offsets or have live members, sorted. */
    List<String> listGroups();

    /** Members, committed offsets and lag per partition. */
    GroupDescription describeGroup(String group);

    /** The offset the next event of each partition will get. */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    /** The oldest stored offset of each partition. */
    Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions);
}
