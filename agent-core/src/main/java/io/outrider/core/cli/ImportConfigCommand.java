package io.outrider.core.cli;

import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.config.EnvFile;
import io.outrider.core.files.FileFailures;
import io.outrider.core.importer.ImportException;
import io.outrider.core.importer.ImportResult;
import io.outrider.core.importer.LiteSocImporter;
import io.outrider.core.importer.LogNogImporter;
import io.outrider.core.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider import-config --from litesoc|lognog FILE}: takes over another agent's setup. Writes our YAML and
 * the key into a 0600 env file (never into the YAML), validates the result like {@code outrider validate}, and lists
 * in plain words what could not be carried over.
 */
@Command(name = "import-config", description = "Import a LiteSOC Sentinel or LogNog In configuration: writes an Outrider configuration and a 0600 env file with the key, validates them, and lists what was not carried over.")
final class ImportConfigCommand
        implements Callable<Integer>
{
    enum Source
    {
        LITESOC, LOGNOG
    }

    @Option(names = "--from", required = true, paramLabel = "litesoc|lognog", description = "the agent the configuration comes from")
    Source from;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the other agent's configuration file (LogNog In: optional, its LOGNOG_* variables are read too)")
    Path file;

    @Option(names = "--env-file", paramLabel = "FILE", description = "the other agent's env file (LiteSOC: where LITESOC_KEY and LITESOC_SERVER are; default: agent.env, sentinel.env, .env or litesoc.env beside FILE, else /etc/litesoc/agent.env)")
    Path envFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "outrider.yaml", description = "the configuration to write (default: ./outrider.yaml)")
    Path output;

    @Option(names = "--secrets-file", paramLabel = "FILE", description = "the env file (mode 0600) that receives the key (default: agent.env beside the output)")
    Path secretsFile;

    @Option(names = "--dry-run", description = "print the configuration instead of writing anything")
    boolean dryRun;

    @Option(names = "--force", description = "overwrite an existing output file")
    boolean force;

    @Option(names = "--no-validate", description = "do not validate the result against the installed plugins")
    boolean noValidate;

    @ParentCommand
    OutriderCommand outrider;

    @Override
    public Integer call()
    {
        SecretRegistry secrets = new SecretRegistry();
        LogSetup.forCommand(secrets, outrider.logLevel(Level.WARNING));
        Map<String, String> environment = System.getenv();
        ImportResult result;
        try {
            String text = file == null ? null : Files.readString(file, StandardCharsets.UTF_8);
            if (from == Source.LITESOC) {
                if (file == null) {
                    System.err.println("import-config --from litesoc needs the LiteSOC configuration file");
                    return 2;
                }
                Optional<Map<String, String>> liteSocEnvironment = liteSocEnvFile();
                if (liteSocEnvironment.isEmpty()) {
                    return 2;
                }
                result = LiteSocImporter.convert(file.toString(), text, liteSocEnvironment.get(), environment);
            }
            else {
                result = LogNogImporter.convert(file == null ? null : file.toString(), text, environment, System.getProperty("os.name").startsWith("Windows"));
            }
        }
        catch (ImportException e) {
            System.err.println("Cannot import:");
            e.problems().forEach(problem -> System.err.println("  - " + problem));
            return 2;
        }
        catch (IOException e) {
            System.err.println("cannot read " + (file == null ? "the configuration" : file) + ": " + e.getMessage());
            return 2;
        }
        result.secrets().values().forEach(secrets::register);
        Path secretsTarget = secretsFile != null ? secretsFile : output.toAbsolutePath().resolveSibling("agent.env");

        if (!noValidate) {
            Optional<String> problems = validate(result, secrets);
            if (problems.isPresent()) {
                System.err.println("The imported configuration does not validate; nothing was written:");
                System.err.println(problems.get());
                return 2;
            }
        }
        if (dryRun) {
            System.out.print(result.yaml());
            System.out.println("# would write " + String.join(", ", result.secrets().keySet()) + " (value not shown) to " + secretsTarget + " (mode 0600)");
        }
        else {
            if (Files.exists(output) && !force) {
                System.err.println(output + " exists; use --force to overwrite it, or -o to write elsewhere");
                return 2;
            }
            try {
                EnvFile.merge(secretsTarget, result.secrets());
                Path parent = output.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path temporary = Files.createTempFile(parent, ".outrider", ".yaml");
                Files.writeString(temporary, result.yaml(), StandardCharsets.UTF_8);
                Files.move(temporary, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException e) {
                System.err.println("cannot write the imported configuration: " + secrets.redact(String.valueOf(e.getMessage())));
                return 1;
            }
            System.out.println("Wrote " + output + " and " + String.join(", ", result.secrets().keySet()) + " to " + secretsTarget + " (mode 0600).");
            System.out.println(noValidate ? "Not validated (--no-validate); check it with: outrider validate -c " + output
                    : "It validates against the installed plugins (with the variables of " + secretsTarget + " set).");
        }
        System.out.println();
        System.out.println("Not carried over:");
        List<String> notCarried = result.notCarriedOver();
        for (int i = 0; i < notCarried.size(); i++) {
            System.out.println("  " + (i + 1) + ") " + notCarried.get(i));
        }
        return 0;
    }

    /** The LiteSOC env file's variables (empty when there is none), or empty when it cannot be read (said on stderr). */
    private Optional<Map<String, String>> liteSocEnvFile()
    {
        Optional<Path> candidate = envFile != null ? Optional.of(envFile) : LiteSocImporter.envFileFor(file, LiteSocImporter.SYSTEM_ENV_FILE);
        if (candidate.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            return Optional.of(EnvFile.read(candidate.get()));
        }
        catch (IOException e) {
            System.err.println("cannot read the LiteSOC env file " + candidate.get() + ": " + FileFailures.reason(e, candidate.get())
                    + "; run import-config as a user who may read it, or pass --env-file");
            return Optional.empty();
        }
    }

    /** Validates the YAML with the imported secrets set as environment variables; the problems, if any. */
    private Optional<String> validate(ImportResult result, SecretRegistry secrets)
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(result.secrets());
        Bootstrap bootstrap = new Bootstrap(environment, secrets);
        try {
            Path temporary = Files.createTempFile("outrider-import", ".yaml");
            try {
                Files.writeString(temporary, result.yaml(), StandardCharsets.UTF_8);
                bootstrap.load(Optional.of(temporary));
                return Optional.empty();
            }
            finally {
                Files.deleteIfExists(temporary);
            }
        }
        catch (InvalidConfigurationException e) {
            return Optional.of(e.getMessage());
        }
        catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }
}
