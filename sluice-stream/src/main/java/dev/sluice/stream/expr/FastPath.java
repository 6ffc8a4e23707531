package dev.sluice.stream.expr;

import dev.sluice.stream.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * A direct evaluator for the common, simple expressions: field paths on {@code event}, {@code key} and
 * {@code timestamp}, literals, comparisons, {@code && || !}, arithmetic, and {@code contains}, {@code startsWith} and
 * {@code endsWith} of a text field. It applies JEXL's own arithmetic object for
 * every operator, so results are JEXL's; it only skips JEXL's per-evaluation interpreter set-up, which costs more than
 * the comparison itself. Expressions outside this subset (functions, methods, {@code =~}, ternaries, ...) are left to
 * JEXL, as is any evaluation that meets a value the fast path does not handle (it throws {@link Unsupported}). A property
 * test checks both give the same answers. Immutable and thread-safe.
 */
final class FastPath {
    /** The evaluation must be done by JEXL instead. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super(null, null, false, false);
        }
    }

    interface Node {
        Object eval(StreamRecord r, JexlArithmetic a);
    }

    private static final List<String> STRING_METHODS = List.of("contains", "startsWith", "endsWith");

    private final String src;
    private int pos;

    private FastPath(String src) {
        this.src = src;
    }

    /** A compiled fast path, or null if the expression is outside the subset. */
    static Node compile(String source) {
        try {
            FastPath p = new FastPath(source);
            Node n = p.or();
            p.skipSpace();
            return p.pos == source.length() ? n : null;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private Node or() {
        Node left = and();
        while (take("||") || takeWord("or")) {
            Node l = left;
            Node right = and();
            left = (r, a) -> a.toBoolean(l.eval(r, a)) || a.toBoolean(right.eval(r, a));
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (take("&&") || takeWord("and")) {
            Node l = left;
            Node right = not();
            left = (r, a) -> a.toBoolean(l.eval(r, a)) && a.toBoolean(right.eval(r, a));
        }
        return left;
    }

    private Node not() {
        if (peek("!") && !peek("!=") || peekWord("not")) {
            if (!take("!")) {
                takeWord("not");
            }
            Node inner = not();
            return (r, a) -> !a.toBoolean(inner.eval(r, a));
        }
        return comparison();
    }

    private Node comparison() {
        Node left = sum();
        for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
            if (take(op)) {
                Node right = sum();
                return switch (op) {
                    case "==" -> (r, a) -> a.equals(left.eval(r, a), right.eval(r, a));
                    case "!=" -> (r, a) -> !a.equals(left.eval(r, a), right.eval(r, a));
                    // JEXL refuses null in an ordering comparison: those evaluations go back to JEXL
                    case "<=" -> (r, a) -> a.lessThanOrEqual(nonNull(left.eval(r, a)), nonNull(right.eval(r, a)));
                    case ">=" -> (r, a) -> a.greaterThanOrEqual(nonNull(left.eval(r, a)), nonNull(right.eval(r, a)));
                    case "<" -> (r, a) -> a.lessThan(nonNull(left.eval(r, a)), nonNull(right.eval(r, a)));
                    default -> (r, a) -> a.greaterThan(nonNull(left.eval(r, a)), nonNull(right.eval(r, a)));
                };
            }
        }
        return left;
    }

    private Node sum() {
        Node left = product();
        while (true) {
            if (take("+")) {
                Node l = left;
                Node right = product();
                left = (r, a) -> a.add(nonNull(l.eval(r, a)), nonNull(right.eval(r, a)));
            } else if (peek("-") && !peek("->")) {
                take("-");
                Node l = left;
                Node right = product();
                left = (r, a) -> a.subtract(nonNull(l.eval(r, a)), nonNull(right.eval(r, a)));
            } else {
                return left;
            }
        }
    }

    private Node product() {
        Node left = unary();
        while (true) {
            String op = take("*") ? "*" : take("/") ? "/" : take("%") ? "%" : null;
            if (op == null) {
                return left;
            }
            Node l = left;
            Node right = unary();
            left = switch (op) {
                case "*" -> (r, a) -> a.multiply(nonNull(l.eval(r, a)), nonNull(right.eval(r, a)));
                case "/" -> (r, a) -> a.divide(nonNull(l.eval(r, a)), nonNull(right.eval(r, a)));
                default -> (r, a) -> a.mod(nonNull(l.eval(r, a)), nonNull(right.eval(r, a)));
            };
        }
    }

    /** JEXL refuses null operands of arithmetic; so does the fast path, by handing the evaluation back to JEXL. */
    private static Object nonNull(Object v) {
        if (v == null) {
            throw Unsupported.INSTANCE;
        }
        return v;
    }

    private Node unary() {
        if (take("-")) {
            Node inner = unary();
            return (r, a) -> a.negate(nonNull(inner.eval(r, a)));
        }
        return atom();
    }

    private Node atom() {
        skipSpace();
        if (take("(")) {
            Node inner = or();
            expect(")");
            return inner;
        }
        if (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')) {
            String s = string();
            return (r, a) -> s;
        }
        if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            Object n = number();
            return (r, a) -> n;
        }
        String word = identifier();
        switch (word) {
            case "true":
                return (r, a) -> Boolean.TRUE;
            case "false":
                return (r, a) -> Boolean.FALSE;
            case "null":
                return (r, a) -> null;
            case "key":
                return (r, a) -> r.keyAsString();
            case "timestamp":
                return (r, a) -> r.timestamp();
            case "event":
                return path();
            default:
                throw new IllegalStateException("outside the fast subset: " + word);
        }
    }

    private Node path() {
        List<String> fields = new ArrayList<>();
        while (peek(".")) {
            take(".");
            fields.add(identifier());
        }
        String method = null;
        if (peek("(") && !fields.isEmpty() && STRING_METHODS.contains(fields.get(fields.size() - 1))) {
            method = fields.remove(fields.size() - 1);
        }
        if (peek("(") && method == null || peek("[") || peek("?")) {
            throw new IllegalStateException("method call or index");
        }
        Node field = field(fields.toArray(String[]::new));
        return method == null ? field : stringMethod(field, method);
    }

    /**
     * {@code contains}, {@code startsWith} and {@code endsWith} of a text field with a text argument: what JEXL calls,
     * {@link String}'s own method. Any other receiver or argument goes back to JEXL.
     */
    private Node stringMethod(Node receiver, String method) {
        expect("(");
        Node argument = or();
        expect(")");
        if (peek(".") || peek("(") || peek("[") || peek("?")) {
            throw new IllegalStateException("a call on the result of a method");
        }
        return (r, a) -> {
            if (!(receiver.eval(r, a) instanceof String text) || !(argument.eval(r, a) instanceof String arg)) {
                throw Unsupported.INSTANCE;
            }
            return switch (method) {
                case "contains" -> text.contains(arg);
                case "startsWith" -> text.startsWith(arg);
                default -> text.endsWith(arg);
            };
        };
    }

    private static Node field(String[] names) {
        return (r, a) -> {
            Object current = r.value();
            if (!(current instanceof Map)) {
                throw Unsupported.INSTANCE;
            }
            for (String name : names) {
                if (current == null) {
                    return null;
                }
                if (!(current instanceof Map<?, ?> m)) {
                    throw Unsupported.INSTANCE;
                }
                current = m.get(name);
            }
            return current;
        };
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos || Character.isDigit(src.charAt(start))) {
            throw new IllegalStateException("identifier expected");
        }
        String id = src.substring(start, pos);
        if (List.of(
                                "and",
                                "or",
                                "not",
                                "eq",
                                "ne",
                                "lt",
                                "le",
                                "gt",
                                "ge",
                                "div",
                                "mod",
                                "empty",
                                "size",
                                "new",
                                "function",
                                "var",
                                "return",
                                "if",
                                "else",
                                "for",
                                "while")
                        .contains(id)
                && !List.of("true", "false", "null").contains(id)) {
            throw new IllegalStateException("JEXL keyword " + id);
        }
        return id;
    }

    private Object number() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        boolean decimal = pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1));
        if (decimal) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '.')) {
            throw new IllegalStateException("number suffix or exponent");
        }
        String text = src.substring(start, pos);
        if (decimal) {
            return Double.parseDouble(text);
        }
        long v = Long.parseLong(text);
        return v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }

    private String string() {
        char quote = src.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < src.length() && src.charAt(pos) != quote) {
            if (src.charAt(pos) == '\\') {
                throw new IllegalStateException("escapes are left to JEXL");
            }
            sb.append(src.charAt(pos++));
        }
        expect(String.valueOf(quote));
        return sb.toString();
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(String token) {
        skipSpace();
        return src.startsWith(token, pos);
    }

    private boolean take(String token) {
        if (peek(token)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private boolean peekWord(String word) {
        skipSpace();
        int end = pos + word.length();
        return src.startsWith(word, pos) && (end == src.length() || !Character.isLetterOrDigit(src.charAt(end)));
    }

    private boolean takeWord(String word) {
        if (peekWord(word)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!take(token)) {
            throw new IllegalStateException("expected " + token);
        }
    }
}
