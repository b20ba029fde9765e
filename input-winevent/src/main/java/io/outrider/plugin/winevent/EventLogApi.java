package io.outrider.plugin.winevent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The narrow slice of the Windows Event Log API the live input needs: pull-mode subscriptions with a signal,
 * batches of rendered events, bookmarks. {@link WevtapiEventLogApi} implements it on Windows; everything above it
 * is plain Java that tests drive with a scripted implementation.
 *
 * <p>Used from one thread (the input's), except {@link #wakeUp()}, which any thread may call at any time, also after
 * {@link #close()}.
 */
public interface EventLogApi
        extends AutoCloseable
{
    /**
     * Opens a pull-mode subscription to one channel.
     *
     * @param query a structured {@code <QueryList>} query (see {@link QueryBuilder})
     * @param bookmark the bookmark XML to start after; required for {@link StartPosition#AFTER_BOOKMARK}
     * @throws EventLogException with {@code ERROR_NOT_FOUND} when the bookmarked record no longer exists (strict),
     *         {@code ERROR_EVT_CHANNEL_NOT_FOUND}, {@code ERROR_ACCESS_DENIED}, {@code ERROR_EVT_INVALID_QUERY}, ...
     */
    Subscription subscribe(String channel, String query, StartPosition start, Optional<String> bookmark)
            throws EventLogException;

    /** The record id of the oldest record still in the channel; empty when the channel is empty or cannot say. */
    OptionalLong oldestRecordId(String channel)
            throws EventLogException;

    /**
     * Waits until one of the subscriptions is signalled, {@link #wakeUp()} is called, or the timeout passes.
     * Returns at once if a signal is already set.
     */
    void await(List<Subscription> subscriptions, Duration timeout)
            throws InterruptedException, EventLogException;

    /** Makes a current or the next {@link #await} return. Safe from any thread. */
    void wakeUp();

    /** Releases what the API holds (not the subscriptions, which are closed by their owner). Idempotent. */
    @Override
    void close();

    /** Where a subscription starts. */
    enum StartPosition
    {
        /** After the bookmarked record, failing with {@code ERROR_NOT_FOUND} if it is gone (strict). */
        AFTER_BOOKMARK,
        /** At the oldest record in the channel. */
        OLDEST,
        /** At the next record written. */
        FUTURE
    }

    /** One open subscription. Not thread-safe. */
    interface Subscription
            extends AutoCloseable
    {
        String channel();

        /**
         * Clears the signal. Call before draining with {@link #next}: a record written during the drain sets the
         * signal again, so none is missed.
         */
        void resetSignal()
                throws EventLogException;

        /**
         * The next events, at most {@code max}; empty when there are none for now ({@code ERROR_NO_MORE_ITEMS}).
         *
         * @throws EventLogException {@code ERROR_EVT_QUERY_RESULT_STALE} or
         *         {@code ERROR_EVT_QUERY_RESULT_INVALID_POSITION} when the log was cleared or rolled over under the
         *         subscription, RPC errors when the event log service went away, ...
         */
        List<RenderedEvent> next(int max)
                throws EventLogException;

        /** The bookmark XML of the last event {@link #next} returned; empty before the first event. */
        Optional<String> bookmark()
                throws EventLogException;

        @Override
        void close();
    }

    /**
     * One event as the event log rendered it.
     *
     * @param xml the event XML ({@code EvtRenderEventXml})
     * @param message the formatted message ({@code EvtFormatMessage}), possibly partial, if the provider has one
     */
    record RenderedEvent(String xml, Optional<String> message)
    {
        public RenderedEvent
        {
            java.util.Objects.requireNonNull(xml, "xml is null");
            java.util.Objects.requireNonNull(message, "message is null");
        }
    }
}
