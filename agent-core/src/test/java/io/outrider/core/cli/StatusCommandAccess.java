package io.outrider.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.core.config.SecretRegistry;

import java.io.IOException;

/** {@code outrider status}'s text for a {@code /status} answer, for tests in other packages. */
public final class StatusCommandAccess
{
    private StatusCommandAccess() {}

    public static String render(String statusJson)
            throws IOException
    {
        return StatusCommand.render(new ObjectMapper().readTree(statusJson), new SecretRegistry());
    }
}
