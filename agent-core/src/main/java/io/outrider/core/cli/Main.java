package io.outrider.core.cli;

import io.outrider.core.config.CliEnvironment;
import picocli.CommandLine;

import java.util.List;

/** {@code outrider}: the agent's command line. Exit codes: 0 ok, 1 failure, 2 invalid configuration or usage. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        // first: the common pool reads its parallelism once, when anything first touches it
        useSharedCompletionThreads();
        useLeanGuice();
        System.exit(execute(args));
    }

    /**
     * Guice wires the agent once, at start-up. By default it generates a fast-invocation class for every injected
     * constructor and provider method and records a stack trace for every binding; both live for the life of the
     * process (about 3 MB resident at idle, measured with bench/distribution-idle-rss.sh) and buy nothing for a
     * one-time wiring. Reflection and source-less binding errors do the same job. A value set with -D wins.
     */
    static void useLeanGuice()
    {
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        if (System.getProperty("guice_include_stack_traces") == null) {
            System.setProperty("guice_include_stack_traces", "OFF");
        }
    }

    /** The system property that sets the common pool's parallelism (read once, when the pool is first used). */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /**
     * The JDK's {@code HttpClient} hands the completion of every exchange to {@code CompletableFuture}'s default
     * executor. With a common pool of parallelism 1, which is what a machine with 2 CPUs or fewer gets, that
     * executor starts a new thread for every task: one thread started and ended per HTTP request (5,003 thread starts
     * for 5,000 requests in a JFR recording of the e2e benchmark). A parallelism of 2 makes it the common pool, whose
     * threads are kept while busy and time out when idle. Only raised when unset and below 2: a value set with -D wins.
     */
    static void useSharedCompletionThreads()
    {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() - 1 < 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    /** Runs a command line and returns its exit code (tests call this in-process or in a child JVM). */
    public static int execute(String... args)
    {
        return commandLine(CliEnvironment.ofThisProcess(), args).execute(args);
    }

    /** The whole command line (also what the man page and the shell completion are generated from). */
    static CommandLine commandLine(CliEnvironment cliEnvironment)
    {
        return commandLine(cliEnvironment, OutriderCommand.SUBCOMMANDS);
    }

    /**
     * The command line that runs {@code args}: when the first argument names a subcommand, only that one is added;
     * anything else (options first, {@code help}, a name that is none, nothing) gets the whole command line, whose
     * usage lists every command and whose errors suggest the closest name.
     */
    static CommandLine commandLine(CliEnvironment cliEnvironment, String... args)
    {
        return commandLine(cliEnvironment, args.length == 0 ? OutriderCommand.SUBCOMMANDS
                : OutriderCommand.subcommand(args[0])
                        // help names other commands
                        .filter(subcommand -> subcommand != CommandLine.HelpCommand.class)
                        .<List<Class<?>>>map(List::of)
                        .orElse(OutriderCommand.SUBCOMMANDS));
    }

    private static CommandLine commandLine(CliEnvironment cliEnvironment, List<Class<?>> subcommands)
    {
        CommandLine commandLine = new CommandLine(new OutriderCommand(cliEnvironment));
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        // after the subcommands: these settings reach the subcommands present when they are made
        commandLine.setExitCodeExceptionMapper(e -> 2);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
