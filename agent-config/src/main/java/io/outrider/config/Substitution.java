package io.outrider.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Resolves {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${file:PATH}} in configuration values; {@code $$}
 * writes a literal {@code $}. A file's content is taken without its trailing line break and is registered as a
 * secret. A secret file readable by group or others is refused (or, with {@link FilePermissionPolicy#WARN}, reported
 * as a warning), because a key anyone on the machine can read is not a secret.
 */
public final class Substitution
{
    /** What to do with a {@code ${file:...}} that group or others can read. */
    public enum FilePermissionPolicy
    {
        REFUSE, WARN
    }

    /** The outcome: the resolved text, or an error message (never containing a secret). */
    public record Result(String value, String error, boolean fromFile, Optional<String> warning)
    {
        static Result ok(String value, boolean fromFile, Optional<String> warning)
        {
            return new Result(value, null, fromFile, warning);
        }

        static Result error(String message)
        {
            return new Result(null, message, false, Optional.empty());
        }

        public boolean isError()
        {
            return error != null;
        }
    }

    private final Map<String, String> environment;
    private final Path baseDirectory;
    private FilePermissionPolicy filePermissionPolicy = FilePermissionPolicy.REFUSE;

    /**
     * @param environment the variables to resolve from (the process environment in production)
     * @param baseDirectory relative {@code ${file:...}} paths resolve against it (the config file's folder)
     */
    public Substitution(Map<String, String> environment, Path baseDirectory)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.baseDirectory = requireNonNull(baseDirectory, "baseDirectory is null");
    }

    public void setFilePermissionPolicy(FilePermissionPolicy policy)
    {
        this.filePermissionPolicy = requireNonNull(policy, "policy is null");
    }

    public Result resolve(String text)
    {
        if (text.indexOf('$') < 0) {
            return Result.ok(text, false, Optional.empty());
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean fromFile = false;
        Optional<String> warning = Optional.empty();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (i + 1 >= text.length() || text.charAt(i + 1) != '{') {
                out.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('}', i + 2);
            if (end < 0) {
                return Result.error("unterminated '${' in value; write '$$' for a literal '$'");
            }
            String expression = text.substring(i + 2, end);
            if (expression.startsWith("file:")) {
                Result file = readFile(expression.substring("file:".length()).trim());
                if (file.isError()) {
                    return file;
                }
                out.append(file.value());
                fromFile = true;
                warning = file.warning().isPresent() ? file.warning() : warning;
            }
            else {
                String name = expression;
                String fallback = null;
                int separator = expression.indexOf(":-");
                if (separator >= 0) {
                    name = expression.substring(0, separator);
                    fallback = expression.substring(separator + 2);
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    return Result.error("'${" + expression + "}' is not a valid variable reference; use ${NAME}, ${NAME:-default} or ${file:PATH}");
                }
                String value = environment.get(name);
                if (value == null || (value.isEmpty() && fallback != null)) {
                    if (fallback == null) {
                        return Result.error("environment variable " + name + " is not set; set it or write ${" + name + ":-default}");
                    }
                    value = fallback;
                }
                out.append(value);
            }
            i = end + 1;
        }
        return Result.ok(out.toString(), fromFile, warning);
    }

    private Result readFile(String pathText)
    {
        if (pathText.isEmpty()) {
            return Result.error("${file:} names no file");
        }
        Path path = baseDirectory.resolve(pathText).normalize();
        try {
            Optional<String> warning = Optional.empty();
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    String problem = "secret file " + path + " is readable by group or others (mode " + mode(permissions) + "); run: chmod 600 " + path;
                    if (filePermissionPolicy == FilePermissionPolicy.REFUSE) {
                        return Result.error(problem + " (or set agent.secret_file_permissions: warn)");
                    }
                    warning = Optional.of(problem);
                }
            }
            catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (Windows): ACLs are the operator's business there
            }
            String content = Files.readString(path, StandardCharsets.UTF_8);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            else if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - 1);
            }
            return Result.ok(content, true, warning);
        }
        catch (NoSuchFileException e) {
            return Result.error("secret file " + path + " does not exist");
        }
        catch (IOException e) {
            return Result.error("cannot read secret file " + path + ": " + e.getClass().getSimpleName());
        }
    }

    static String mode(Set<PosixFilePermission> permissions)
    {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", mode);
    }
}
