package io.outrider.plugin.file;

import io.outrider.support.GlobPattern;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.support.LineEncoding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Creates {@code file} inputs. */
public final class FileInputFactory
        implements InputFactory<FileInputConfig>
{
    /** Lines are held in a Java array, and a few of them in memory at once. */
    static final long MAX_LINE_BYTES_LIMIT = 1L << 30;

    @Override
    public String type()
    {
        return "file";
    }

    @Override
    public Class<FileInputConfig> configClass()
    {
        return FileInputConfig.class;
    }

    @Override
    public String description()
    {
        return "tails log files matched by globs, following rotation and truncation, resuming exactly after restarts";
    }

    @Override
    public void validate(FileInputConfig config)
            throws InvalidConfigException
    {
        List<InvalidConfigException.Problem> problems = new ArrayList<>();
        if (config.paths().isEmpty()) {
            problems.add(new InvalidConfigException.Problem("paths", "list at least one absolute path or glob"));
        }
        for (String path : config.paths()) {
            try {
                GlobPattern.compileAbsolute(path);
            }
            catch (IllegalArgumentException e) {
                problems.add(new InvalidConfigException.Problem("paths", e.getMessage()));
            }
        }
        for (String exclusion : config.exclude()) {
            try {
                GlobPattern.compileExclusion(exclusion);
            }
            catch (IllegalArgumentException e) {
                problems.add(new InvalidConfigException.Problem("exclude", e.getMessage()));
            }
        }
        long maxLineBytes = config.maxLineBytes().bytes();
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_LIMIT) {
            problems.add(new InvalidConfigException.Problem("max_line_bytes", "must be between 1B and 1GiB, not " + config.maxLineBytes()));
        }
        try {
            LineEncoding.forName(config.encoding());
        }
        catch (IllegalArgumentException e) {
            problems.add(new InvalidConfigException.Problem("encoding", e.getMessage()));
        }
        FileInputConfig.MultilineConfig multiline = config.multiline();
        if (multiline != null) {
            if ((multiline.startPattern() == null) == (multiline.continuationPattern() == null)) {
                problems.add(new InvalidConfigException.Problem("multiline", "set exactly one of start_pattern and continuation_pattern"));
            }
            checkPattern("multiline.start_pattern", multiline.startPattern(), problems);
            checkPattern("multiline.continuation_pattern", multiline.continuationPattern(), problems);
            checkPositive("multiline.timeout", multiline.timeout(), problems);
            if (multiline.maxLines() < 1) {
                problems.add(new InvalidConfigException.Problem("multiline.max_lines", "must be at least 1"));
            }
        }
        checkPositive("poll_interval", config.pollInterval(), problems);
        checkPositive("scan_interval", config.scanInterval(), problems);
        checkPositive("close_inactive", config.closeInactive(), problems);
        if (config.partialLineFlush().isNegative()) {
            problems.add(new InvalidConfigException.Problem("partial_line_flush", "must not be negative (0 waits for the newline)"));
        }
        if (config.rotateWait().isNegative()) {
            problems.add(new InvalidConfigException.Problem("rotate_wait", "must not be negative"));
        }
        if (config.maxOpenFiles() < 1) {
            problems.add(new InvalidConfigException.Problem("max_open_files", "must be at least 1"));
        }
        if (config.batchMaxEvents() < 1) {
            problems.add(new InvalidConfigException.Problem("batch_max_events", "must be at least 1"));
        }
        if (config.batchMaxBytes().bytes() < 1) {
            problems.add(new InvalidConfigException.Problem("batch_max_bytes", "must be at least 1B"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /**
     * Each glob, when none of the input's globs matches a file (after {@code exclude}): legal, the input picks files up
     * when they appear, but probably a typo or a missing log. When some glob matches, the others are taken for
     * alternatives across distributions ({@code /var/log/auth.log} or {@code /var/log/secure}), which would otherwise
     * warn on every machine.
     */
    @Override
    public List<String> warnings(FileInputConfig config)
    {
        List<String> warnings = new ArrayList<>();
        for (String path : config.paths()) {
            FileScanner scanner = new FileScanner(List.of(GlobPattern.compileAbsolute(path)), config.exclude());
            if (!scanner.scan().files().isEmpty()) {
                return List.of();
            }
            warnings.add("path \"" + path + "\" matches no file yet; the input will pick files up when they appear");
        }
        return List.copyOf(warnings);
    }

    @Override
    public Input create(FileInputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        List<GlobPattern> patterns = new ArrayList<>();
        for (String path : config.paths()) {
            patterns.add(GlobPattern.compileAbsolute(path));
        }
        FileInputConfig.MultilineConfig multiline = config.multiline();
        Pattern start = multiline == null || multiline.startPattern() == null ? null : Pattern.compile(multiline.startPattern());
        Pattern continuation = multiline == null || multiline.continuationPattern() == null ? null : Pattern.compile(multiline.continuationPattern());
        return new FileInput(config, context, patterns, LineEncoding.forName(config.encoding()), start, continuation);
    }

    private static void checkPattern(String property, String pattern, List<InvalidConfigException.Problem> problems)
    {
        if (pattern == null) {
            return;
        }
        try {
            Pattern.compile(pattern);
        }
        catch (PatternSyntaxException e) {
            problems.add(new InvalidConfigException.Problem(property, "'" + pattern + "' is not a valid regular expression: " + e.getDescription()));
        }
    }

    private static void checkPositive(String property, Duration duration, List<InvalidConfigException.Problem> problems)
    {
        if (duration.isZero() || duration.isNegative()) {
            problems.add(new InvalidConfigException.Problem(property, "must be positive, not " + duration));
        }
    }
}
