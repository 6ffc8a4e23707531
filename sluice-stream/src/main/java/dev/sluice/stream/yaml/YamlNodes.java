package dev.sluice.stream.yaml;

import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads SnakeYAML nodes into plain values, keeping where each one was written. */
final class YamlNodes {
    private final String file;

    YamlNodes(String file) {
        this.file = file;
    }

    Location at(Node node) {
        return new Location(
                file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    /** The entries of a mapping, keys as text, in order; duplicate keys are refused. */
    Map<String, NodeTuple> mapping(Node node, String what) {
        if (!(node instanceof MappingNode m)) {
            throw new PipelineException(at(node), what + " must be a map of keys to values, got " + kind(node) + ".");
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = text(t.getKeyNode(), "a key");
            if (out.put(key, t) != null) {
                throw new PipelineException(at(t.getKeyNode()), "'" + key + "' appears twice in " + what + ".");
            }
        }
        return out;
    }

    List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode s)) {
            throw new PipelineException(
                    at(node), what + " must be a list (lines starting with '- '), got " + kind(node) + ".");
        }
        return s.getValue();
    }

    String text(Node node, String what) {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s.getValue();
        }
        throw new PipelineException(at(node), what + " must be text, got " + kind(node) + ".");
    }

    int integer(Node node, String what) {
        Object v = value(node);
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new PipelineException(at(node), what + " must be a whole number, got " + kind(node) + ".");
    }

    /** The node as plain Java: maps, lists, text, Long, Double, Boolean or null. */
    Object value(Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            try {
                if (tag.equals(Tag.NULL)) {
                    return null;
                } else if (tag.equals(Tag.BOOL)) {
                    return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
                } else if (tag.equals(Tag.INT)) {
                    return Long.parseLong(v.replace("_", ""));
                } else if (tag.equals(Tag.FLOAT)) {
                    return Double.parseDouble(v.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                return v;
            }
            return v;
        }
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            s.getValue().forEach(n -> out.add(value(n)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        mapping(node, "this value").forEach((k, t) -> out.put(k, value(t.getValueNode())));
        return out;
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        return s.getTag().equals(Tag.NULL) ? "nothing" : "'" + s.getValue() + "'";
    }
}
