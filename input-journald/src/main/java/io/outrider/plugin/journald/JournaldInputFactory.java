package io.outrider.plugin.journald;

import io.outrider.support.ReadFrom;
import io.outrider.support.config.Checks;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Creates {@code journald} inputs: the systemd journal read through libsystemd, resumed by cursor. */
public final class JournaldInputFactory
        implements InputFactory<JournaldInputConfig>
{
    /** Earlier versions spelled the positions head and tail; the file input's vocabulary is now the only one. */
    private static final Map<String, ReadFrom> FORMER_SPELLINGS = Map.of("head", ReadFrom.BEGINNING, "tail", ReadFrom.END);
    static final DataSize MIN_FIELD_SIZE = DataSize.ofBytes(256);
    static final DataSize MAX_FIELD_SIZE = DataSize.ofBytes(16 << 20);
    static final int MAX_BATCH_SIZE = 100_000;

    private final List<String> libraryNames;

    public JournaldInputFactory()
    {
        this(SdJournal.LIBRARY_NAMES);
    }

    /** @param libraryNames the names under which to look for libsystemd, in order */
    JournaldInputFactory(List<String> libraryNames)
    {
        this.libraryNames = List.copyOf(requireNonNull(libraryNames, "libraryNames is null"));
    }

    @Override
    public String type()
    {
        return "journald";
    }

    @Override
    public Class<JournaldInputConfig> configClass()
    {
        return JournaldInputConfig.class;
    }

    @Override
    public String description()
    {
        return "Reads the systemd journal (all boots) through libsystemd and resumes exactly by cursor";
    }

    @Override
    public void validate(JournaldInputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.directory() != null && !config.files().isEmpty()) {
            problems.add(new Problem("files", "set either directory or files, not both"));
        }
        for (String unit : config.units()) {
            if (unit == null || unit.isBlank()) {
                problems.add(new Problem("units", "a unit name is empty"));
            }
        }
        for (String identifier : config.identifiers()) {
            if (identifier == null || identifier.isBlank()) {
                problems.add(new Problem("identifiers", "an identifier is empty"));
            }
        }
        for (String match : config.matches()) {
            String problem = match == null ? "a match is empty" : match.equals(JournalFilter.GROUP_SEPARATOR) ? null : JournalFilter.matchProblem(match);
            if (problem != null) {
                problems.add(new Problem("matches", problem));
            }
        }
        ReadFrom.problem(config.readFrom(), FORMER_SPELLINGS).ifPresent(problem -> problems.add(new Problem("read_from", problem)));
        ReadFrom.problem(config.cursorFallback(), FORMER_SPELLINGS).ifPresent(problem -> problems.add(new Problem("cursor_fallback", problem)));
        if (config.priority() != null && JournalFilter.parsePriority(config.priority()).isEmpty()) {
            problems.add(new Problem("priority", JournalFilter.priorityProblem(config.priority())));
        }
        checkPatterns("include_fields", config.includeFields(), problems);
        checkPatterns("exclude_fields", config.excludeFields(), problems);
        Checks.between(problems, "max_field_size", config.maxFieldSize(), MIN_FIELD_SIZE, MAX_FIELD_SIZE);
        Checks.between(problems, "batch_size", config.batchSize(), 1, MAX_BATCH_SIZE);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** A journal directory or file that is not there: the input fails to open it and retries until it appears. */
    @Override
    public List<String> warnings(JournaldInputConfig config)
    {
        List<String> warnings = new ArrayList<>();
        if (config.directory() != null && !Files.isDirectory(config.directory())) {
            warnings.add("journal directory \"" + config.directory() + "\" does not exist; the input keeps retrying until it does");
        }
        boolean anyPresent = config.files().stream().anyMatch(Files::exists);
        for (Path file : config.files()) {
            if (!Files.exists(file)) {
                String name = String.valueOf(file.getFileName());
                String glob = name.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)
                        ? " (files takes journal files' names, not globs: to read every journal file of a directory, name the directory in directory)"
                        : "";
                warnings.add("journal file \"" + file + "\" does not exist" + glob + (anyPresent
                        ? "; the input reads the others, and this one once it restarts and finds it"
                        : "; the input keeps retrying until it does"));
            }
        }
        return List.copyOf(warnings);
    }

    @Override
    public Input create(JournaldInputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        try {
            SdJournal.load(libraryNames);
        }
        catch (UnsatisfiedLinkError e) {
            throw new InvalidConfigException("", e.getMessage());
        }
        return new JournaldInput(config, context);
    }

    private static void checkPatterns(String property, List<String> patterns, List<Problem> problems)
    {
        for (String pattern : patterns) {
            String problem = pattern == null ? "a field name is empty" : FieldSelector.patternProblem(pattern);
            if (problem != null) {
                problems.add(new Problem(property, problem));
            }
        }
    }
}
