package io.outrider.core.cli;

import io.outrider.core.config.AgentDefaults;
import io.outrider.core.files.FileFailures;
import io.outrider.core.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The pipeline {@code outrider run} uses without a configuration file: the system's SSH auth log when it is
 * readable and not empty (else a bundled sample auth log, so a fresh machine shows something at once) through the sshd parser,
 * then the linux_auth parser for sudo, su, PAM and account changes, to the console, read from the beginning. {@code run} and {@code validate} say when it is the sample.
 */
final class DefaultConfig
{
    static final List<Path> SYSTEM_AUTH_LOGS = List.of(Path.of("/var/log/auth.log"), Path.of("/var/log/secure"));

    private DefaultConfig() {}

    /**
     * The default pipeline and what the operator must be told about it.
     *
     * @param notice set when the pipeline reads the bundled sample, whose made-up attackers look real
     */
    record Choice(String yaml, Optional<String> notice)
    {
        Choice
        {
            requireNonNull(yaml, "yaml is null");
            requireNonNull(notice, "notice is null");
        }
    }

    static Choice choose(AgentDefaults defaults)
    {
        return choose(defaults, SYSTEM_AUTH_LOGS);
    }

    /** @param systemAuthLogs the auth logs to prefer, in order, over the bundled sample */
    static Choice choose(AgentDefaults defaults, List<Path> systemAuthLogs)
    {
        Optional<Path> systemLog = systemAuthLogs.stream().filter(DefaultConfig::readableWithContent).findFirst();
        Path log = systemLog.orElseGet(() -> sample(defaults.dataDir()));
        String yaml = "# built-in default: " + (systemLog.isEmpty() ? "no readable system auth log, so a bundled sample" : "the system auth log") + "\n"
                + "pipelines:\n"
                + "  ssh_auth:\n"
                + "    inputs:\n"
                + "      auth_log: { type: file, paths: [" + quote(log.toString()) + "], read_from: beginning }\n"
                + "    parsers:\n"
                + "      sshd: { type: sshd }\n"
                + "      linux_auth: { type: linux_auth }\n"
                + "    outputs:\n"
                + "      console: { type: console, format: text }\n";
        Optional<String> notice = systemLog.isPresent()
                ? Optional.empty()
                : Optional.of("reading the bundled sample log " + log + ": its attackers are made up; point -c at a configuration to read your own logs");
        return new Choice(yaml, notice);
    }

    /** An empty system log would show nothing on a fresh machine; the sample shows what the agent does. */
    private static boolean readableWithContent(Path file)
    {
        try {
            return Files.isReadable(file) && Files.size(file) > 0;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static Path sample(Path dataDir)
    {
        Path target = dataDir.resolve("samples").resolve("auth.log");
        try {
            if (!Files.exists(target)) {
                // the sample is written before the buffer opens, so this may be what creates the data directory
                PrivateFiles.createDirectories(target.getParent());
                Path temporary = target.resolveSibling("auth.log.tmp");
                Files.writeString(temporary, Bootstrap.resource("/io/outrider/core/sample-auth.log"), StandardCharsets.UTF_8);
                Files.move(temporary, target);
            }
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample auth log to " + target + " (" + FileFailures.reason(e, target)
                    + "): the built-in default keeps it in the data directory; set OUTRIDER_DATA_DIR to a directory this user may write", e);
        }
    }

    private static String quote(String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
