package io.outrider.plugin.file;

import io.outrider.support.GlobPattern;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.support.LineEncoding;
import io.outrider.support.config.Checks;

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
        Checks.between(problems, "max_line_bytes", config.maxLineBytes(), DataSize.ofBytes(1), DataSize.ofBytes(MAX_LINE_BYTES_LIMIT));
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
            Checks.positive(problems, "multiline.timeout", multiline.timeout());
            Checks.atLeast(problems, "multiline.max_lines", multiline.maxLines(), 1);
        }
        Checks.positive(problems, "poll_interval", config.pollInterval());
        Checks.positive(problems, "scan_interval", config.scanInterval());
        Checks.positive(problems, "close_inactive", config.closeInactive());
        // 0s is meaningful for both: partial_line_flush 0s waits for the newline, rotate_wait 0s closes a rotated file at its end
        Checks.atLeast(problems, "partial_line_flush", config.partialLineFlush(), Duration.ZERO);
        Checks.atLeast(problems, "rotate_wait", config.rotateWait(), Duration.ZERO);
        Checks.atLeast(problems, "max_open_files", config.maxOpenFiles(), 1);
        Checks.atLeast(problems, "batch_max_events", config.batchMaxEvents(), 1);
        Checks.atLeast(problems, "batch_max_bytes", config.batchMaxBytes(), DataSize.ofBytes(1));
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
        return create(config, context, NotifyChangeSource.Watches.KERNEL);
    }

    /** With {@code watches} standing in for the kernel's directory watches: for tests of a watch limit and of overflows. */
    Input create(FileInputConfig config, ComponentContext context, NotifyChangeSource.Watches watches)
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
        return new FileInput(config, context, patterns, LineEncoding.forName(config.encoding()), start, continuation, watches);
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
}
