package io.outrider.core.storage;

import java.util.function.LongSupplier;

/** What tests of other packages may do to a buffer that the agent itself never does. */
public final class BufferTestAccess
{
    private BufferTestAccess() {}

    /** Replaces the free space of the buffer's file system as the buffer sees it: a full disk without filling one. */
    public static void overrideUsableSpace(SqliteBuffer buffer, LongSupplier bytes)
    {
        buffer.overrideUsableSpace(bytes);
    }
}
