package io.outrider.core.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that authorises {@code /control/*} requests: a random token written, readable by its owner only, to
 * {@code <data_dir>/control.token} at every start. Whoever can read that file (the agent's user, root) can pause,
 * resume and reload the agent; nobody else on the machine can, although the endpoint is on loopback.
 */
public final class ControlToken
{
    public static final String FILE_NAME = "control.token";

    private final String value;

    private ControlToken(String value)
    {
        this.value = value;
    }

    /** Creates a new token and writes it (mode 0600) into {@code dataDir}. */
    public static ControlToken create(Path dataDir)
            throws IOException
    {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        io.outrider.core.files.PrivateFiles.createDirectories(dataDir);
        Path temporary = dataDir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, value + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, dataDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new ControlToken(value);
    }

    /** Reads the token of a running agent. @throws IOException when it cannot be read (not running, no permission) */
    public static String read(Path dataDir)
            throws IOException
    {
        return Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8).trim();
    }

    /** Constant-time comparison with what a client sent ({@code Authorization: Bearer <token>}). */
    public boolean matches(String authorization)
    {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] sent = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sent, value.getBytes(StandardCharsets.UTF_8));
    }

    public String value()
    {
        return value;
    }
}
