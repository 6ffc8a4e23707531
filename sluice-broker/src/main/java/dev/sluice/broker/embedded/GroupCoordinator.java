package dev.sluice.broker.embedded;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/** The consumer groups of one embedded broker, created on first use. Thread-safe. */
final class GroupCoordinator {
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong memberIds = new AtomicLong();
    private final String instance;

    /** @param instance names this broker in member ids */
    GroupCoordinator(String instance) {
        this.instance = instance;
    }

    Group group(String id, ToIntFunction<String> partitionCount) {
        return groups.computeIfAbsent(id, g -> new Group(g, partitionCount));
    }

    /** The group if it exists, without creating it. */
    Group find(String id) {
        return groups.get(id);
    }

    List<String> groupsWithMembers() {
        return groups.values().stream()
                .filter(g -> !g.memberIds().isEmpty())
                .map(Group::id)
                .toList();
    }

    String newMemberId(String group) {
        return group + "-" + memberIds.incrementAndGet() + "@"
                + ProcessHandle.current().pid();
    }

    String instance() {
        return instance;
    }
}
