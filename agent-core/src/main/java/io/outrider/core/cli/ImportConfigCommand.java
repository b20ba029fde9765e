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
            System.err.println("cannot read " + (file == null ? "the configuration" : file) + ": " + (file == null ? e.getMessage() : FileFailures.reason(e, file)));
            return 2;
        }
        result.secrets().values().forEach(secrets::register);
        Path secretsTarget = secretsFile != null ? secretsFile : output.toAbsolutePath().resolveSibling("agent.env");

        if (!noValidate) {
            Optional<String> problems = validate(result, secrets);
            if (problems.isPresent()) {
                if (dryRun) {
                    // what would have been written, to look at beside its problems
                    System.out.print(result.yaml());
                }
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
            List<String> replacedKeys;
            try {
                replacedKeys = differingValues(secretsTarget, result.secrets());
            }
            catch (IOException e) {
                System.err.println("cannot read " + secretsTarget + ": " + FileFailures.reason(e, secretsTarget));
                return 1;
            }
            if (!replacedKeys.isEmpty() && !force) {
                System.err.println(secretsTarget + " already holds another " + String.join(", ", replacedKeys) + "; use --force to replace it (the file is kept as "
                        + secretsTarget + ".bak), or --secrets-file to write elsewhere");
                return 2;
            }
            try {
                if (!replacedKeys.isEmpty()) {
                    Files.copy(secretsTarget, secretsTarget.resolveSibling(secretsTarget.getFileName() + ".bak"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
                EnvFile.merge(secretsTarget, result.secrets());
                Path parent = output.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path temporary = Files.createTempFile(parent, ".outrider", ".yaml");
                Files.writeString(temporary, result.yaml(), StandardCharsets.UTF_8);
                if (Files.exists(output)) {
                    // the agent's service user reads it: a replaced file keeps its mode, owner and group
                    keepAttributes(output, temporary);
                }
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

    /**
     * Validates the YAML with the imported secrets set as environment variables; the problems, if any, located in
     * the output file as it would be written (the temporary copy validated is gone when they are read).
     */
    private Optional<String> validate(ImportResult result, SecretRegistry secrets)
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(result.secrets());
        Bootstrap bootstrap = new Bootstrap(environment, secrets);
        Path temporary = null;
        try {
            temporary = Files.createTempFile("outrider-import", ".yaml");
            Files.writeString(temporary, result.yaml(), StandardCharsets.UTF_8);
            bootstrap.load(Optional.of(temporary));
            return Optional.empty();
        }
        catch (InvalidConfigurationException | IOException e) {
            String problems = String.valueOf(e.getMessage());
            return Optional.of(temporary == null ? problems : problems.replace(temporary.toString(), output + " (as it would be written; --dry-run shows it)"));
        }
        finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                }
                catch (IOException ignored) {
                    // a file in the temporary directory, without the key
                }
            }
        }
    }

    /** The keys of {@code values} that {@code file} already holds with another value; none when it does not exist. */
    private static List<String> differingValues(Path file, Map<String, String> values)
            throws IOException
    {
        if (!Files.exists(file)) {
            return List.of();
        }
        Map<String, String> existing = EnvFile.read(file);
        return values.entrySet().stream()
                .filter(entry -> existing.containsKey(entry.getKey()) && !existing.get(entry.getKey()).equals(entry.getValue()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** Gives {@code target} the mode, owner and group of {@code source}, where the file system and this user allow. */
    private static void keepAttributes(Path source, Path target)
    {
        try {
            Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
            java.nio.file.attribute.PosixFileAttributes attributes = Files.readAttributes(source, java.nio.file.attribute.PosixFileAttributes.class);
            java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(target, java.nio.file.attribute.PosixFileAttributeView.class);
            view.setGroup(attributes.group());
            view.setOwner(attributes.owner());
        }
        catch (IOException | UnsupportedOperationException e) {
            System.err.println("note: " + source + " is replaced without its mode, owner or group (" + e.getMessage() + "); check that the agent may read it");
        }
    }
}
