package io.outrider.plugin.winevent;

import static java.util.Objects.requireNonNull;

/**
 * A live channel and the structured query its subscription uses.
 *
 * @param channel the channel name, e.g. {@code Security}
 * @param query a {@code <QueryList>} query
 */
public record ChannelQuery(String channel, String query)
{
    public ChannelQuery
    {
        requireNonNull(channel, "channel is null");
        requireNonNull(query, "query is null");
    }

    /** The checkpoint key of the channel's bookmark. */
    public String checkpointKey()
    {
        return LiveWinEventInput.CHECKPOINT_PREFIX + channel;
    }
}
