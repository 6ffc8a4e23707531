package dev.sluice.log.internal;

import dev.sluice.log.InvalidTopicException;
import dev.sluice.log.config.Levenshtein;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/** Topic-name rules (Apache Kafka's, so names move between backends) and "did you mean" hints. */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {}

    /**
     * @throws InvalidTopicException naming the rule the name breaks
     */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("A topic name cannot be empty.");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("'" + name + "' cannot be a topic name.");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTopicException("Topic name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; the limit is " + MAX_LENGTH + ".");
        }
        if (!LEGAL.matcher(name).matches()) {
            throw new InvalidTopicException("Illegal topic name '" + name + "': use only letters, digits, '.', '_' and"
                    + " '-' (for example " + suggest(name) + ").");
        }
    }

    /** The closest existing name within two edits, for a "did you mean" hint. */
    public static Optional<String> closest(String name, Collection<String> existing) {
        return existing.stream()
                .filter(e -> Levenshtein.distance(e, name) <= 2)
                .min(Comparator.comparingInt(e -> Levenshtein.distance(e, name)));
    }

    private static String suggest(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "my-topic" : s;
    }
}
