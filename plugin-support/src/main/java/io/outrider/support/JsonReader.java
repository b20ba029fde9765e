package io.outrider.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small JSON documents collectors answer with (a bounded response body) into {@link Map}s,
 * {@link List}s, {@link String}s, {@link Boolean}s, {@link Long}s or {@link Double}s and {@code null}. Strict:
 * anything that is not one complete JSON value is an {@link IllegalArgumentException}. Nesting is limited so a
 * hostile answer cannot exhaust the stack.
 */
public final class JsonReader
{
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    private JsonReader(String text)
    {
        this.text = text;
    }

    public static Object parse(String text)
    {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.readValue(0);
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("unexpected text after the value");
        }
        return value;
    }

    private Object readValue(int depth)
    {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return readObject(depth);
            case '[':
                return readArray(depth);
            case '"':
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> readObject(int depth)
    {
        position++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, readValue(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> readArray(int depth)
    {
        position++;
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(elements);
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String readString()
    {
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> value.append(escaped);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        }
                        catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        position += 4;
                    }
                    default -> throw error("bad escape '\\" + escaped + "'");
                }
            }
            else if (c < 0x20) {
                throw error("control character in a string");
            }
            else {
                value.append(c);
            }
        }
    }

    private Object readNumber()
    {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        boolean integral = true;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c >= '0' && c <= '9') {
                position++;
            }
            else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                position++;
            }
            else {
                break;
            }
        }
        String number = text.substring(start, position);
        try {
            if (integral) {
                try {
                    return Long.parseLong(number);
                }
                catch (NumberFormatException tooLarge) {
                    return Double.parseDouble(number);
                }
            }
            return Double.parseDouble(number);
        }
        catch (NumberFormatException e) {
            throw error("bad number '" + number + "'");
        }
    }

    private void expectWord(String word)
    {
        if (!text.startsWith(word, position)) {
            throw error("expected '" + word + "'");
        }
        position += word.length();
    }

    private void expect(char expected)
    {
        if (next() != expected) {
            throw error("expected '" + expected + "'");
        }
    }

    private char peek()
    {
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(position);
    }

    private char next()
    {
        char c = peek();
        position++;
        return c;
    }

    private void skipWhitespace()
    {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(String problem)
    {
        return new IllegalArgumentException("not JSON at character " + position + ": " + problem);
    }
}
