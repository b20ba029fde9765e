package io.outrider.core.cli;

import io.outrider.config.ConfigProblem;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.ConfigWarnings;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.pipeline.ComponentTrial;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** {@code outrider validate [-c FILE]}: everything {@code run} checks, starting nothing; says which configuration it checked. */
@Command(name = "validate", description = "Check a configuration completely (syntax, types, plugins, references) and start nothing. Exit 0 when valid (warnings, numbered, do not change that), 2 with every error numbered.")
final class ValidateCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Override
    public Integer call()
    {
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        LogSetup.forCommand(resolved.get().bootstrap().secrets(), outrider.logLevel(Level.SEVERE));
        // first, so that an error below is read against the file it is about
        System.out.println("configuration: " + resolved.get().source().describe());
        resolved.get().envFile().ifPresent(file -> System.out.println("variables: " + file + " (the environment wins)"));
        Optional<Bootstrap.Loaded> loaded = ConfigOptions.load(resolved.get(), System.err);
        if (loaded.isEmpty()) {
            return 2;
        }
        try (PluginRegistry ignored = loaded.get().registry()) {
            return report(resolved.get(), loaded.get());
        }
    }

    private static int report(ConfigOptions.Resolved resolved, Bootstrap.Loaded loaded)
    {
        for (PluginLoadProblem problem : loaded.registry().loadProblems()) {
            System.err.println("warning: plugin skipped: " + problem);
        }
        for (String conflict : loaded.registry().conflictMessages()) {
            System.err.println("warning: " + conflict);
        }
        loaded.notice().ifPresent(notice -> System.err.println("note: " + notice));
        List<ConfigProblem> warnings = ConfigWarnings.of(loaded.configuration(), resolved.bootstrap().secrets());
        List<ConfigProblem> createProblems = ComponentTrial.createEach(loaded.configuration(), resolved.bootstrap().secrets());
        if (!createProblems.isEmpty()) {
            System.err.println(new InvalidConfigurationException(createProblems, warnings).getMessage());
            return 2;
        }
        if (!warnings.isEmpty()) {
            System.err.println(ConfigWarnings.format(warnings));
        }
        int components = 0;
        for (PipelineSpec pipeline : loaded.configuration().pipelines()) {
            components += pipeline.inputs().size() + pipeline.parsers().size() + pipeline.outputs().size();
        }
        System.out.println("Configuration is valid: " + loaded.configuration().pipelines().size() + " pipeline(s), " + components + " component(s).");
        for (PipelineSpec pipeline : loaded.configuration().pipelines()) {
            System.out.println("  " + pipeline.id() + ": " + describe(pipeline));
        }
        return 0;
    }

    /** {@code input (type), ... -> parser (type) -> ... -> output (type), ...}. */
    static String describe(PipelineSpec pipeline)
    {
        StringBuilder text = new StringBuilder();
        text.append(String.join(", ", pipeline.inputs().stream().map(ValidateCommand::label).toList()));
        if (!pipeline.parsers().isEmpty()) {
            text.append(" -> ").append(String.join(" -> ", pipeline.parsers().stream().map(ValidateCommand::label).toList()));
        }
        text.append(" -> ").append(String.join(", ", pipeline.outputs().stream().map(ValidateCommand::label).toList()));
        return text.toString();
    }

    private static String label(ComponentSpec spec)
    {
        return spec.id() + " (" + spec.type() + ")";
    }
}
