package io.outrider.plugin.fim;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.support.config.Checks;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creates {@code fim} inputs: file integrity monitoring with a SQLite baseline. */
public final class FimInputFactory
        implements InputFactory<FimInputConfig>
{
    static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    @Override
    public String type()
    {
        return "fim";
    }

    @Override
    public Class<FimInputConfig> configClass()
    {
        return FimInputConfig.class;
    }

    @Override
    public String description()
    {
        return "File integrity monitoring: SHA-256 and attribute baseline in SQLite, real-time and scheduled checks";
    }

    /** Every full scan is a round, ended by its {@code scan_complete} event (when {@code summary_events} is on). */
    @Override
    public boolean worksInRounds()
    {
        return true;
    }

    @Override
    public void validate(FimInputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.paths().isEmpty()) {
            problems.add(new Problem("paths", "must name at least one absolute path or glob"));
        }
        try {
            PathSelection.of(config.paths(), List.of(), Optional.empty(), Optional.empty());
        }
        catch (IllegalArgumentException e) {
            problems.add(new Problem("paths", e.getMessage()));
        }
        try {
            PathSelection.of(List.of(), config.exclude(), Optional.empty(), Optional.empty());
        }
        catch (IllegalArgumentException e) {
            problems.add(new Problem("exclude", e.getMessage()));
        }
        Checks.positive(problems, "rescan_interval", config.rescanInterval());
        Checks.positive(problems, "debounce", config.debounce());
        Checks.positive(problems, "overflow_rescan_interval", config.overflowRescanInterval());
        Checks.between(problems, "hash_threads", config.hashThreads(), 1, 64);
        Checks.between(problems, "max_pending_paths", config.maxPendingPaths(), 1, 10_000_000);
        Checks.between(problems, "max_files", config.maxFiles(), 1, 100_000_000);
        Checks.between(problems, "batch_size", config.batchSize(), 1, 100_000);
        if (!SEVERITIES.contains(config.severity())) {
            problems.add(new Problem("severity", "must be one of low, medium, high, critical, not '" + config.severity() + "'"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** Each path (or the fixed leading part of a glob) that does not exist: watched for, but probably a typo. */
    @Override
    public List<String> warnings(FimInputConfig config)
    {
        List<String> warnings = new ArrayList<>();
        for (PathSelection.Spec spec : PathSelection.of(config.paths(), List.of(), Optional.empty(), Optional.empty()).specs()) {
            if (!Files.exists(spec.root(), LinkOption.NOFOLLOW_LINKS)) {
                warnings.add(spec.matcher().isEmpty()
                        ? "path \"" + spec.text() + "\" does not exist; it is monitored once it appears"
                        : "path \"" + spec.text() + "\" matches nothing: \"" + spec.root() + "\" does not exist; it is monitored once it appears");
            }
        }
        return List.copyOf(warnings);
    }

    @Override
    public Input create(FimInputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        PathSelection selection = PathSelection.of(config.paths(), config.exclude(),
                config.watchAgentFiles() ? context.agentConfigFile() : Optional.empty(),
                config.watchAgentFiles() ? context.pluginsDirectory() : Optional.empty());
        return new FimInput(config, context, selection);
    }
}
