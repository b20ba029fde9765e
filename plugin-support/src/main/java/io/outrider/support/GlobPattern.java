package io.outrider.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A path glob as operators write it: {@code *} and {@code ?} stay within one path segment, {@code **} crosses
 * segments and also matches none ({@code /var/log/**}{@code /*.log} matches {@code /var/log/a.log}), {@code [abc]},
 * {@code [!a-z]} and {@code {log,txt}} as usual, {@code \} escapes. {@link java.nio.file.PathMatcher}'s glob is not
 * used because its {@code **}{@code /} needs at least one directory.
 *
 * <p>The one meaning of a glob for every plugin that takes paths (input-file's {@code paths}/{@code exclude},
 * input-fim's {@code paths}/{@code exclude}): an exclusion with a {@code /} matches whole absolute paths, one without
 * matches file names.
 */
public final class GlobPattern
{
    private final String glob;
    private final Pattern regex;
    private final Path baseDirectory;
    private final int maxDepth;

    private GlobPattern(String glob, Pattern regex, Path baseDirectory, int maxDepth)
    {
        this.glob = glob;
        this.regex = regex;
        this.baseDirectory = baseDirectory;
        this.maxDepth = maxDepth;
    }

    /**
     * Compiles an absolute glob.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static GlobPattern compileAbsolute(String glob)
    {
        requireNonNull(glob, "glob is null");
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("'" + glob + "' is not an absolute path");
        }
        Pattern regex = Pattern.compile(toRegex(glob));
        List<String> segments = splitSegments(glob);
        List<String> literal = new ArrayList<>();
        int index = 0;
        // the last segment names files, so the base directory stops before it even when it is literal
        while (index < segments.size() - 1 && !hasWildcard(segments.get(index))) {
            literal.add(unescape(segments.get(index)));
            index++;
        }
        Path base = Path.of("/" + String.join("/", literal)).normalize();
        int depth = segments.size() - index;
        for (int i = index; i < segments.size(); i++) {
            if (segments.get(i).contains("**")) {
                depth = Integer.MAX_VALUE;
                break;
            }
        }
        return new GlobPattern(glob, regex, base, depth);
    }

    /**
     * Compiles an exclusion: with a {@code /} it matches whole absolute paths, without one it matches file names
     * ({@code *.gz}).
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static Pattern compileExclusion(String glob)
    {
        requireNonNull(glob, "glob is null");
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("an exclusion is empty");
        }
        return Pattern.compile(toRegex(glob));
    }

    public static boolean excludes(Pattern exclusion, String exclusionGlob, Path path)
    {
        if (exclusionGlob.indexOf('/') >= 0) {
            return exclusion.matcher(path.toString()).matches();
        }
        Path name = path.getFileName();
        return name != null && exclusion.matcher(name.toString()).matches();
    }

    public String glob()
    {
        return glob;
    }

    /** The deepest directory that holds every match. */
    public Path baseDirectory()
    {
        return baseDirectory;
    }

    /** How many levels below {@link #baseDirectory()} a match can be ({@link Integer#MAX_VALUE} with {@code **}). */
    public int maxDepth()
    {
        return maxDepth;
    }

    public boolean matches(Path path)
    {
        return regex.matcher(path.toString()).matches();
    }

    @Override
    public String toString()
    {
        return glob;
    }

    private static boolean hasWildcard(String segment)
    {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                i++;
            }
            else if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String segment)
    {
        StringBuilder out = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\' && i + 1 < segment.length()) {
                i++;
                c = segment.charAt(i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static List<String> splitSegments(String glob)
    {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int braces = 0;
        int brackets = 0;
        for (int i = 1; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                current.append(c).append(glob.charAt(++i));
                continue;
            }
            if (c == '{') {
                braces++;
            }
            else if (c == '}') {
                braces--;
            }
            else if (c == '[') {
                brackets++;
            }
            else if (c == ']') {
                brackets = Math.max(0, brackets - 1);
            }
            if (c == '/' && braces == 0 && brackets == 0) {
                if (current.length() > 0) {
                    segments.add(current.toString());
                }
                current.setLength(0);
            }
            else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            segments.add(current.toString());
        }
        return segments;
    }

    public static String toRegex(String glob)
    {
        StringBuilder regex = new StringBuilder(glob.length() * 2);
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new IllegalArgumentException("'" + glob + "' ends with an escape character");
                    }
                    appendLiteral(regex, glob.charAt(++i));
                }
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(?:.*/)?");
                        }
                        else {
                            regex.append(".*");
                        }
                    }
                    else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> i = appendBracket(glob, i, regex);
                case '{' -> {
                    if (inGroup) {
                        throw new IllegalArgumentException("'" + glob + "' nests { } groups");
                    }
                    inGroup = true;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (!inGroup) {
                        throw new IllegalArgumentException("'" + glob + "' has a } without {");
                    }
                    inGroup = false;
                    regex.append(')');
                }
                case ',' -> regex.append(inGroup ? "|" : ",");
                default -> appendLiteral(regex, c);
            }
        }
        if (inGroup) {
            throw new IllegalArgumentException("'" + glob + "' has an unclosed {");
        }
        return regex.toString();
    }

    private static int appendBracket(String glob, int open, StringBuilder regex)
    {
        int i = open + 1;
        StringBuilder set = new StringBuilder("[");
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            set.append('^');
            i++;
        }
        boolean first = true;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == ']' && !first) {
                regex.append(set).append(']');
                return i;
            }
            if (c == '/') {
                throw new IllegalArgumentException("'" + glob + "' has a / inside [ ]");
            }
            if (c == '\\' || c == '[' || c == '&' || c == '^' || c == ']') {
                set.append('\\');
            }
            set.append(c);
            first = false;
            i++;
        }
        throw new IllegalArgumentException("'" + glob + "' has an unclosed [");
    }

    private static void appendLiteral(StringBuilder regex, char c)
    {
        if ("\\.[]{}()<>*+-=!?^$|".indexOf(c) >= 0) {
            regex.append('\\');
        }
        regex.append(c);
    }
}
