package dev.sluice.stream.expr;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The methods an expression may call on a value ({@code event.agent.contains('bot')}): a short list whose cost is
 * bounded by the value they are called on, so an expression always ends soon and allocates little (no {@code repeat},
 * {@code replace}, streams or reflection). Checked twice: {@link #called} finds the calls in an expression's text when
 * it compiles, so {@code sluice validate} refuses any other with the list; and JEXL, through these permissions, finds
 * no other method when it runs one (so a call written some other way than {@code .name(...)} finds nothing either).
 * The {@code fn:} functions ({@link Functions}) are allowed.
 */
final class AllowedCalls implements JexlPermissions {
    static final Set<String> METHODS = Set.of(
            // text
            "contains",
            "startsWith",
            "endsWith",
            "equals",
            "equalsIgnoreCase",
            "compareTo",
            "isEmpty",
            "isBlank",
            "length",
            "toLowerCase",
            "toUpperCase",
            "trim",
            "strip",
            "substring",
            "indexOf",
            "lastIndexOf",
            "charAt",
            // lists and objects
            "size",
            "get",
            "containsKey",
            "containsValue",
            // numbers
            "intValue",
            "longValue",
            "doubleValue",
            "toString");

    private final JexlPermissions base;

    AllowedCalls(JexlPermissions base) {
        this.base = base;
    }

    /** The names of the methods {@code source} calls as {@code .name(}, read outside its string literals. */
    static List<String> called(String source) {
        List<String> names = new ArrayList<>();
        char quote = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '.' && i + 1 < source.length() && Character.isJavaIdentifierStart(source.charAt(i + 1))) {
                int end = i + 1;
                while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) {
                    end++;
                }
                int next = end;
                while (next < source.length() && Character.isWhitespace(source.charAt(next))) {
                    next++;
                }
                if (next < source.length() && source.charAt(next) == '(') {
                    names.add(source.substring(i + 1, end));
                }
                i = end - 1;
            }
        }
        return names;
    }

    @Override
    public boolean allow(Method method) {
        return base.allow(method)
                && (method.getDeclaringClass() == Functions.class || METHODS.contains(method.getName()));
    }

    @Override
    public boolean allow(Class<?> clazz, Method method) {
        return allow(method) && base.allow(clazz, method);
    }

    @Override
    public boolean allow(Class<?> clazz) {
        return base.allow(clazz);
    }

    @Override
    public boolean allow(Constructor<?> ctor) {
        return false; // expressions create no objects
    }

    @Override
    public boolean allow(Field field) {
        return false; // fields are read from events (maps), never from Java objects
    }

    @Override
    public boolean allow(Package pack) {
        return base.allow(pack);
    }

    @Override
    public JexlPermissions compose(String... src) {
        return new AllowedCalls(base.compose(src));
    }
}
