package io.outrider.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code KEY=value} files as systemd's {@code EnvironmentFile=}, Docker's {@code --env-file} and the other agents
 * write them: comments, blank lines, an optional {@code export }, optional single or double quotes.
 */
public final class EnvFile
{
    private EnvFile() {}

    public static Map<String, String> parse(String text)
    {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            values.put(key, value(line.substring(equals + 1).strip()));
        }
        return values;
    }

    /**
     * A value as a shell reads it: inside its quotes (a double-quoted one with {@code \"} and {@code \\} escapes),
     * and what follows the closing quote dropped when it is a comment; an unquoted one up to a {@code #} after a space.
     * {@code export KEY="secret"  # the key} is {@code secret}, not the quotes and the comment.
     */
    static String value(String text)
    {
        if (text.startsWith("\"") || text.startsWith("'")) {
            char quote = text.charAt(0);
            StringBuilder value = new StringBuilder();
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote == '"' && c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    value.append(text.charAt(++i));
                }
                else if (c == quote) {
                    String rest = text.substring(i + 1).strip();
                    if (rest.isEmpty() || rest.startsWith("#")) {
                        return value.toString();
                    }
                    // text after the closing quote that is no comment: not a quoted value after all
                    return text;
                }
                else {
                    value.append(c);
                }
            }
            return text;
        }
        int comment = text.indexOf(" #");
        int tab = text.indexOf("\t#");
        int at = comment < 0 ? tab : tab < 0 ? comment : Math.min(comment, tab);
        return at < 0 ? text : text.substring(0, at).strip();
    }

    public static Map<String, String> read(Path file)
            throws IOException
    {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Sets {@code values} in {@code file} (mode 0600): lines of other keys and comments stay as they were, lines of
     * these keys are replaced, new keys are appended. Written atomically.
     */
    public static void merge(Path file, Map<String, String> values)
            throws IOException
    {
        List<String> lines = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>(values);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String stripped = line.strip();
                String key = stripped.startsWith("export ") ? stripped.substring(7).strip() : stripped;
                int equals = key.indexOf('=');
                String name = equals > 0 ? key.substring(0, equals).strip() : null;
                if (name != null && !stripped.startsWith("#") && pending.containsKey(name)) {
                    lines.add(name + "=" + quote(pending.remove(name)));
                }
                else {
                    lines.add(line);
                }
            }
        }
        pending.forEach((name, value) -> lines.add(name + "=" + quote(value)));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".env", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String quote(String value)
    {
        return value.matches("[A-Za-z0-9_./:@+=-]*") ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
