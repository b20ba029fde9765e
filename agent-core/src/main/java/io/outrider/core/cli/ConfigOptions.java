package io.outrider.core.cli;

import io.outrider.core.config.InvalidConfigurationException;
import io.outrider.core.config.SecretRegistry;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** {@code -c FILE}, shared by the commands that read a configuration. */
final class ConfigOptions
{
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "configuration file (default: the built-in default pipeline)")
    Path file;

    Optional<Path> file()
    {
        return Optional.ofNullable(file);
    }

    /** Loads and binds, printing problems to {@code err}; empty when the configuration is invalid or unreadable. */
    Optional<Bootstrap.Loaded> load(Bootstrap bootstrap, PrintStream err)
    {
        try {
            return Optional.of(bootstrap.load(file()));
        }
        catch (InvalidConfigurationException e) {
            err.println(e.getMessage());
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            err.println("cannot load the configuration: " + bootstrap.secrets().redact(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
    }

    static Bootstrap bootstrap()
    {
        return new Bootstrap(System.getenv(), new SecretRegistry());
    }
}
