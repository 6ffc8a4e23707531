package dev.sluice.broker.embedded;

import dev.sluice.broker.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * One consumer group in one process: its members, the target assignment, and who currently owns each partition.
 *
 * <p>Rebalancing is cooperative: when members join or leave, a new target assignment is computed (partitions of each
 * topic dealt round-robin over the members subscribed to it, in join order). Each member, in its next poll, releases
 * the partitions it no longer targets (after its revoke callback, so it can commit) and takes the ones it targets
 * once their previous owner has released them. A partition therefore never has two owners. A member that stops polling
 * for longer than its max poll interval is expelled and its partitions are released. All methods are synchronized.
 */
final class Group {
    /** What a member learns when it polls. */
    record Membership(Set<TopicPartition> target, int generation) {}

    private static final class Member {
        final Set<String> topics;
        final Runnable waker;
        final long maxPollIntervalNanos;
        long lastSeenNanos;

        Member(Set<String> topics, Runnable waker, long maxPollIntervalMs) {
            this.topics = Set.copyOf(topics);
            this.waker = waker;
            this.maxPollIntervalNanos = maxPollIntervalMs * 1_000_000L;
            this.lastSeenNanos = System.nanoTime();
        }
    }

    private final String id;
    private final ToIntFunction<String> partitionCount;
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private final Map<TopicPartition, String> owners = new HashMap<>();
    private Map<String, Set<TopicPartition>> target = Map.of();
    private int generation;

    Group(String id, ToIntFunction<String> partitionCount) {
        this.id = id;
        this.partitionCount = partitionCount;
    }

    String id() {
        return id;
    }

    synchronized void join(String memberId, Set<String> topics, Runnable waker, long maxPollIntervalMs) {
        members.put(memberId, new Member(topics, waker, maxPollIntervalMs));
        rebalance();
    }

    /**
     * Records that the member is alive and returns its target, or null if it was expelled (it must rejoin).
     */
    synchronized Membership heartbeat(String memberId) {
        expireSilentMembers();
        Member m = members.get(memberId);
        if (m == null) {
            return null;
        }
        m.lastSeenNanos = System.nanoTime();
        return new Membership(Set.copyOf(target.getOrDefault(memberId, Set.of())), generation);
    }

    /** Takes ownership if the partition is free (or already ours) and still targeted at this member. */
    synchronized boolean tryAcquire(String memberId, TopicPartition tp) {
        String owner = owners.get(tp);
        if (owner != null && !owner.equals(memberId)) {
            return false;
        }
        if (!target.getOrDefault(memberId, Set.of()).contains(tp)) {
            return false;
        }
        owners.put(tp, memberId);
        return true;
    }

    synchronized void release(String memberId, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            owners.remove(tp, memberId);
        }
        wakeAll(); // whoever targets these partitions can take them now
    }

    synchronized void leave(String memberId) {
        if (members.remove(memberId) != null) {
            owners.values().removeIf(memberId::equals);
            rebalance();
        }
    }

    synchronized boolean owns(String memberId, TopicPartition tp) {
        return memberId.equals(owners.get(tp));
    }

    synchronized String ownerOf(TopicPartition tp) {
        return owners.get(tp);
    }

    synchronized List<String> memberIds() {
        return new ArrayList<>(members.keySet());
    }

    synchronized int generation() {
        return generation;
    }

    private void expireSilentMembers() {
        long now = System.nanoTime();
        List<String> expired = new ArrayList<>();
        members.forEach((memberId, m) -> {
            if (now - m.lastSeenNanos > m.maxPollIntervalNanos) {
                expired.add(memberId);
            }
        });
        for (String memberId : expired) {
            members.remove(memberId);
            owners.values().removeIf(memberId::equals);
        }
        if (!expired.isEmpty()) {
            rebalance();
        }
    }

    private void rebalance() {
        Map<String, Set<TopicPartition>> next = new HashMap<>();
        members.keySet().forEach(m -> next.put(m, new HashSet<>()));
        Set<String> topics = new TreeSet<>();
        members.values().forEach(m -> topics.addAll(m.topics));
        for (String topic : topics) {
            List<String> subscribers = new ArrayList<>();
            members.forEach((memberId, m) -> {
                if (m.topics.contains(topic)) {
                    subscribers.add(memberId);
                }
            });
            int partitions = partitionCount.applyAsInt(topic);
            for (int p = 0; p < partitions; p++) {
                next.get(subscribers.get(p % subscribers.size())).add(new TopicPartition(topic, p));
            }
        }
        target = next;
        generation++;
        wakeAll();
    }

    private void wakeAll() {
        members.values().forEach(m -> m.waker.run());
    }
}
