package io.outrider.desktop;

import io.outrider.config.ConfigProblem;
import io.outrider.config.InvalidConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Saves the window's settings: applies them to the file as it is on disk now, writes the API key to its 0600 secret
 * file, validates the result like {@code outrider validate}, and only then replaces the configuration (atomically,
 * keeping its permissions) and asks the agent to reload. An invalid result changes nothing on disk.
 */
public final class ConfigSaver
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final ConfigValidator validator;
    private final AutostartEntry autostart;
    private final AgentReloader reloader;

    public ConfigSaver(ConfigValidator validator, AutostartEntry autostart, AgentReloader reloader)
    {
        this.validator = requireNonNull(validator, "validator is null");
        this.autostart = requireNonNull(autostart, "autostart is null");
        this.reloader = requireNonNull(reloader, "reloader is null");
    }

    /** Makes a running agent read the configuration again. */
    @FunctionalInterface
    public interface AgentReloader
    {
        /** @return what to tell the user about it */
        String reload(Path configFile)
                throws InterruptedException;
    }

    /**
     * @param saved whether the files were written
     * @param message the validation errors (numbered, as {@code outrider validate} prints them) when not saved, else
     *        what happened to the agent
     * @param problems the validation errors one by one; empty when saved or when something else stopped the save
     */
    public record Outcome(boolean saved, String message, List<ConfigProblem> problems)
    {
        public Outcome
        {
            requireNonNull(message, "message is null");
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }

        public Outcome(boolean saved, String message)
        {
            this(saved, message, List.of());
        }
    }

    public Outcome save(Path configFile, DesktopSettings settings)
            throws InterruptedException
    {
        String text;
        Path secretFile;
        Optional<byte[]> previousSecret = Optional.empty();
        boolean secretWritten = false;
        try {
            DesktopConfig current = DesktopConfig.read(configFile);
            text = current.apply(settings);
            secretFile = current.secretFile();
            if (current.secretChanges(settings)) {
                // validation resolves ${file:...} from disk, so the new key has to be there first; undone when invalid
                previousSecret = Files.exists(secretFile) ? Optional.of(Files.readAllBytes(secretFile)) : Optional.empty();
                writeAtomically(secretFile, (settings.apiKey() + "\n").getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
                secretWritten = true;
                sameOwner(configFile, secretFile);
            }
        }
        catch (YamlDocument.YamlEditException e) {
            return new Outcome(false, "cannot edit " + configFile + ": " + e.getMessage());
        }
        catch (IOException e) {
            return new Outcome(false, describe(e, configFile));
        }

        List<ConfigProblem> problems = validator.validate(configFile, text);
        if (!problems.isEmpty()) {
            if (secretWritten) {
                restore(secretFile, previousSecret);
            }
            return new Outcome(false, InvalidConfigurationException.format(problems), problems);
        }
        try {
            Set<PosixFilePermission> permissions = Files.exists(configFile) ? permissions(configFile) : OWNER_ONLY;
            writeAtomically(configFile, text.getBytes(StandardCharsets.UTF_8), permissions);
            if (autostart.enabled() != settings.startAtLogin()) {
                autostart.setEnabled(settings.startAtLogin());
            }
        }
        catch (IOException e) {
            if (secretWritten) {
                restore(secretFile, previousSecret);
            }
            return new Outcome(false, describe(e, configFile));
        }
        return new Outcome(true, "Saved " + configFile.getFileName() + ". " + reloader.reload(configFile));
    }

    /** The default reloader: {@code POST /control/reload} to the agent the saved file describes. */
    public static String reloadThroughControlEndpoint(Path configFile, java.util.Map<String, String> environment)
            throws InterruptedException
    {
        AgentLocation location = AgentLocation.of(configFile, environment);
        if (!location.statusEnabled()) {
            return "The agent's control endpoint is off (agent.status.enabled: false): restart the agent or send it SIGHUP to use the new settings.";
        }
        AgentClient.ControlAnswer answer = location.client().control("reload");
        if (answer.ok()) {
            return "The agent reloaded: " + answer.message();
        }
        return "The agent did not reload: " + answer.message();
    }

    private static void restore(Path secretFile, Optional<byte[]> previous)
    {
        try {
            if (previous.isPresent()) {
                writeAtomically(secretFile, previous.get(), OWNER_ONLY);
            }
            else {
                Files.deleteIfExists(secretFile);
            }
        }
        catch (IOException e) {
            // the configuration itself is untouched; the next save rewrites the secret file anyway
        }
    }

    /**
     * Under {@code sudo outrider configure} the secret would belong to root and stay unreadable to an agent running as
     * its own user; it gets the configuration file's owner instead. Other users cannot change owners: nothing to do.
     */
    private static void sameOwner(Path configFile, Path secretFile)
    {
        try {
            if (Files.exists(configFile) && !Files.getOwner(configFile).equals(Files.getOwner(secretFile))) {
                Files.setOwner(secretFile, Files.getOwner(configFile));
            }
        }
        catch (IOException | UnsupportedOperationException e) {
            // not root: the secret file is the user's own, like the configuration they may edit
        }
    }

    private static Set<PosixFilePermission> permissions(Path file)
            throws IOException
    {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        return view == null ? OWNER_ONLY : view.readAttributes().permissions();
    }

    /** Write to a sibling temporary file created with its final permissions, then rename over the target. */
    static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException
    {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + ".saving");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(permissions));
        }
        catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        try {
            Files.write(temporary, content);
            // createFile's mode is filtered by the umask; set it explicitly
            if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(temporary, permissions);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String describe(IOException e, Path configFile)
    {
        if (e instanceof AccessDeniedException) {
            return "Not saved: no permission to write " + e.getMessage() + ". Run `sudo outrider configure -c " + configFile + "` or ask your administrator.";
        }
        return "Not saved: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
