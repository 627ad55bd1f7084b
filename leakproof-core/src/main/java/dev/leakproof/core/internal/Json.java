package dev.leakproof.core.internal;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for leakproof's reports: strings, numbers, booleans, null, maps (insertion
 * order kept) and collections. Non-finite doubles become {@code null}, as JSON has no such numbers.
 */
public final class Json {
    private Json() {
    }

    /**
     * @param value a String, Number, Boolean, null, Map with String keys, Collection, or array of Object
     * @return its JSON text, indented by two spaces
     * @throws IllegalArgumentException for any other type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> quote(out, s);
            case Double d -> out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
            case Float f -> out.append(f.isNaN() || f.isInfinite() ? "null" : f.toString());
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Enum<?> e -> quote(out, e.name());
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.append(first ? "\n" : ",\n");
                    first = false;
                    indent(out, depth + 1);
                    quote(out, String.valueOf(e.getKey()));
                    out.append(": ");
                    write(out, e.getValue(), depth + 1);
                }
                if (!first) {
                    out.append('\n');
                    indent(out, depth);
                }
                out.append('}');
            }
            case Collection<?> list -> {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    out.append(first ? "\n" : ",\n");
                    first = false;
                    indent(out, depth + 1);
                    write(out, item, depth + 1);
                }
                if (!first) {
                    out.append('\n');
                    indent(out, depth);
                }
                out.append(']');
            }
            case Object[] array -> write(out, java.util.Arrays.asList(array), depth);
            default -> throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON: convert it to a map, list or string first");
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.repeat("  ", depth);
    }

    /**
     * Appends {@code s} as a JSON string literal.
     *
     * @param out where to write
     * @param s   the string
     */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        // escaped so that the text can be embedded in an HTML <script> block as it is
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
