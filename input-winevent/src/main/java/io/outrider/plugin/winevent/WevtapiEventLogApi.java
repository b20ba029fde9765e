package io.outrider.plugin.winevent;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.Wevtapi;
import com.sun.jna.platform.win32.Winevt;
import com.sun.jna.platform.win32.Winevt.EVT_HANDLE;
import com.sun.jna.ptr.IntByReference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link EventLogApi} on the Windows Event Log API ({@code wevtapi.dll}) through JNA: pull-mode subscriptions with a
 * manual-reset signal event, {@code EvtNext} batches rendered with {@code EvtRenderEventXml} and
 * {@code EvtFormatMessage}, positions tracked in a bookmark updated to the last event of each batch.
 *
 * <p>Windows only: creating an instance loads {@code wevtapi.dll} and {@code kernel32.dll}. Never instantiate or
 * otherwise initialise this class elsewhere.
 */
final class WevtapiEventLogApi
        implements EventLogApi
{
    /** EVT_VARIANT: an 8-byte value, then Count, then Type. */
    private static final int VARIANT_SIZE = 16;
    private static final int VARIANT_TYPE_OFFSET = 12;
    private static final int EVT_VAR_TYPE_UINT64 = 10;
    private static final int EVT_VAR_TYPE_MASK = 0x7f;
    private static final int MAXIMUM_WAIT_OBJECTS = 64;
    /** EvtNext waits at most this long; a subscription answers at once, so this only bounds a misbehaving service. */
    private static final int NEXT_TIMEOUT_MILLIS = 1000;
    private static final int MAX_CACHED_PUBLISHERS = 1024;

    private final Wevtapi wevtapi = Wevtapi.INSTANCE;
    private final Kernel32 kernel32 = Kernel32.INSTANCE;
    private final HANDLE wakeEvent;
    /** Publisher metadata per provider for EvtFormatMessage; a null value: the provider has none here. */
    private final Map<String, EVT_HANDLE> publishers = new HashMap<>();
    private Memory renderBuffer = new Memory(64 * 1024);
    private char[] messageBuffer = new char[8 * 1024];
    private boolean closed;

    WevtapiEventLogApi()
    {
        wakeEvent = kernel32.CreateEvent(null, false, false, null);
        if (wakeEvent == null) {
            throw new IllegalStateException(new EventLogException("CreateEvent", Native.getLastError(), ""));
        }
    }

    @Override
    public Subscription subscribe(String channel, String query, StartPosition start, Optional<String> bookmark)
            throws EventLogException
    {
        HANDLE signal = kernel32.CreateEvent(null, true, true, null);
        if (signal == null) {
            throw new EventLogException("CreateEvent", Native.getLastError(), "");
        }
        EVT_HANDLE position = null;
        try {
            int flags;
            if (start == StartPosition.AFTER_BOOKMARK) {
                position = wevtapi.EvtCreateBookmark(bookmark.orElseThrow(() -> new IllegalArgumentException("AFTER_BOOKMARK needs a bookmark")));
                if (isNull(position)) {
                    throw new EventLogException("EvtCreateBookmark", Native.getLastError(), "");
                }
                flags = Winevt.EVT_SUBSCRIBE_FLAGS.EvtSubscribeStartAfterBookmark | Winevt.EVT_SUBSCRIBE_FLAGS.EvtSubscribeStrict;
            }
            else {
                position = wevtapi.EvtCreateBookmark(null);
                if (isNull(position)) {
                    throw new EventLogException("EvtCreateBookmark", Native.getLastError(), "");
                }
                flags = start == StartPosition.OLDEST
                        ? Winevt.EVT_SUBSCRIBE_FLAGS.EvtSubscribeStartAtOldestRecord
                        : Winevt.EVT_SUBSCRIBE_FLAGS.EvtSubscribeToFutureEvents;
            }
            // A structured query names its channels itself; EvtSubscribe wants no channel path then.
            String channelPath = QueryBuilder.isStructured(query) ? null : channel;
            EVT_HANDLE subscription = wevtapi.EvtSubscribe(null, new EVT_HANDLE(signal.getPointer()), channelPath, query,
                    start == StartPosition.AFTER_BOOKMARK ? position : null, null, null, flags);
            if (isNull(subscription)) {
                throw new EventLogException("EvtSubscribe", Native.getLastError(), "channel " + channel);
            }
            return new WevtSubscription(channel, subscription, signal, position, start == StartPosition.AFTER_BOOKMARK);
        }
        catch (EventLogException | RuntimeException e) {
            if (!isNull(position)) {
                wevtapi.EvtClose(position);
            }
            kernel32.CloseHandle(signal);
            throw e;
        }
    }

    @Override
    public OptionalLong oldestRecordId(String channel)
            throws EventLogException
    {
        EVT_HANDLE log = wevtapi.EvtOpenLog(null, channel, Winevt.EVT_OPEN_LOG_FLAGS.EvtOpenChannelPath);
        if (isNull(log)) {
            throw new EventLogException("EvtOpenLog", Native.getLastError(), "channel " + channel);
        }
        try {
            Memory variant = new Memory(VARIANT_SIZE);
            variant.clear();
            IntByReference used = new IntByReference();
            if (!wevtapi.EvtGetLogInfo(log, Winevt.EVT_LOG_PROPERTY_ID.EvtLogOldestRecordNumber, VARIANT_SIZE, variant, used)) {
                throw new EventLogException("EvtGetLogInfo", Native.getLastError(), "channel " + channel);
            }
            int type = variant.getInt(VARIANT_TYPE_OFFSET) & EVT_VAR_TYPE_MASK;
            return type == EVT_VAR_TYPE_UINT64 ? OptionalLong.of(variant.getLong(0)) : OptionalLong.empty();
        }
        finally {
            wevtapi.EvtClose(log);
        }
    }

    @Override
    public void await(List<Subscription> subscriptions, Duration timeout)
            throws InterruptedException, EventLogException
    {
        List<HANDLE> handles = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            handles.add(wakeEvent);
        }
        for (Subscription subscription : subscriptions) {
            if (handles.size() < MAXIMUM_WAIT_OBJECTS) {
                handles.add(((WevtSubscription) subscription).signal);
            }
        }
        int millis = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(0, timeout.toMillis()));
        int result = kernel32.WaitForMultipleObjects(handles.size(), handles.toArray(new HANDLE[0]), false, millis);
        if (result == WinBase.WAIT_FAILED) {
            throw new EventLogException("WaitForMultipleObjects", Native.getLastError(), "");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public synchronized void wakeUp()
    {
        if (!closed) {
            kernel32.SetEvent(wakeEvent);
        }
    }

    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        publishers.values().forEach(handle -> {
            if (handle != null) {
                wevtapi.EvtClose(handle);
            }
        });
        publishers.clear();
        kernel32.CloseHandle(wakeEvent);
    }

    private static boolean isNull(EVT_HANDLE handle)
    {
        return handle == null || handle.getPointer() == null;
    }

    private String render(EVT_HANDLE fragment, int flags)
            throws EventLogException
    {
        IntByReference used = new IntByReference();
        IntByReference properties = new IntByReference();
        if (!wevtapi.EvtRender(null, fragment, flags, (int) renderBuffer.size(), renderBuffer, used, properties)) {
            int error = Native.getLastError();
            if (error != WinError.ERROR_INSUFFICIENT_BUFFER) {
                throw new EventLogException("EvtRender", error, "");
            }
            renderBuffer = new Memory(Math.max(used.getValue(), renderBuffer.size() * 2));
            if (!wevtapi.EvtRender(null, fragment, flags, (int) renderBuffer.size(), renderBuffer, used, properties)) {
                throw new EventLogException("EvtRender", Native.getLastError(), "");
            }
        }
        return renderBuffer.getWideString(0);
    }

    /**
     * The event's message, or empty when its provider has no message for it here. Unresolved inserts still give
     * the text Windows could format, as Event Viewer shows it.
     */
    private Optional<String> formatMessage(EVT_HANDLE event, String xml)
    {
        Optional<String> provider = EventXmlMapper.providerName(xml);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        EVT_HANDLE metadata = publisher(provider.get());
        if (metadata == null) {
            return Optional.empty();
        }
        IntByReference used = new IntByReference();
        boolean formatted = wevtapi.EvtFormatMessage(metadata, event, 0, 0, null,
                Winevt.EVT_FORMAT_MESSAGE_FLAGS.EvtFormatMessageEvent, messageBuffer.length, messageBuffer, used);
        int error = formatted ? 0 : Native.getLastError();
        if (error == WinError.ERROR_INSUFFICIENT_BUFFER) {
            messageBuffer = new char[Math.max(used.getValue(), messageBuffer.length * 2)];
            formatted = wevtapi.EvtFormatMessage(metadata, event, 0, 0, null,
                    Winevt.EVT_FORMAT_MESSAGE_FLAGS.EvtFormatMessageEvent, messageBuffer.length, messageBuffer, used);
            error = formatted ? 0 : Native.getLastError();
        }
        boolean partial = error == WinError.ERROR_EVT_UNRESOLVED_VALUE_INSERT
                || error == WinError.ERROR_EVT_UNRESOLVED_PARAMETER_INSERT
                || error == WinError.ERROR_EVT_MAX_INSERTS_REACHED;
        if (!formatted && !partial) {
            return Optional.empty();
        }
        int length = Math.min(Math.max(0, used.getValue()), messageBuffer.length);
        int end = 0;
        while (end < length && messageBuffer[end] != 0) {
            end++;
        }
        String message = new String(messageBuffer, 0, end).strip();
        return message.isEmpty() ? Optional.empty() : Optional.of(message);
    }

    private EVT_HANDLE publisher(String provider)
    {
        if (publishers.containsKey(provider)) {
            return publishers.get(provider);
        }
        if (publishers.size() >= MAX_CACHED_PUBLISHERS) {
            publishers.values().forEach(handle -> {
                if (handle != null) {
                    wevtapi.EvtClose(handle);
                }
            });
            publishers.clear();
        }
        EVT_HANDLE handle = wevtapi.EvtOpenPublisherMetadata(null, provider, null, 0, 0);
        handle = isNull(handle) ? null : handle;
        publishers.put(provider, handle);
        return handle;
    }

    /** One pull subscription and its signal and bookmark. */
    private final class WevtSubscription
            implements Subscription
    {
        private final String channel;
        private final EVT_HANDLE subscription;
        private final HANDLE signal;
        private final EVT_HANDLE position;
        private boolean positioned;
        private boolean closed;

        WevtSubscription(String channel, EVT_HANDLE subscription, HANDLE signal, EVT_HANDLE position, boolean positioned)
        {
            this.channel = channel;
            this.subscription = subscription;
            this.signal = signal;
            this.position = position;
            this.positioned = positioned;
        }

        @Override
        public String channel()
        {
            return channel;
        }

        @Override
        public void resetSignal()
                throws EventLogException
        {
            if (!kernel32.ResetEvent(signal)) {
                throw new EventLogException("ResetEvent", Native.getLastError(), "channel " + channel);
            }
        }

        @Override
        public List<RenderedEvent> next(int max)
                throws EventLogException
        {
            EVT_HANDLE[] handles = new EVT_HANDLE[max];
            IntByReference returned = new IntByReference();
            if (!wevtapi.EvtNext(subscription, max, handles, NEXT_TIMEOUT_MILLIS, 0, returned)) {
                int error = Native.getLastError();
                if (error == WinError.ERROR_NO_MORE_ITEMS || error == WinError.ERROR_TIMEOUT) {
                    return List.of();
                }
                throw new EventLogException("EvtNext", error, "channel " + channel);
            }
            int count = returned.getValue();
            List<RenderedEvent> events = new ArrayList<>(count);
            try {
                for (int i = 0; i < count; i++) {
                    try {
                        String xml = render(handles[i], Winevt.EVT_RENDER_FLAGS.EvtRenderEventXml);
                        events.add(new RenderedEvent(xml, formatMessage(handles[i], xml)));
                    }
                    catch (EventLogException e) {
                        // One event Windows cannot render must not stop the channel: it becomes an error event
                        // (the mapper finds no <Event> in this text) and the bookmark moves past it.
                        events.add(new RenderedEvent("<!-- " + e.getMessage().replace("--", "- -") + " -->", Optional.empty()));
                    }
                }
                if (count > 0) {
                    if (!wevtapi.EvtUpdateBookmark(position, handles[count - 1])) {
                        throw new EventLogException("EvtUpdateBookmark", Native.getLastError(), "channel " + channel);
                    }
                    positioned = true;
                }
            }
            finally {
                for (int i = 0; i < count; i++) {
                    if (!isNull(handles[i])) {
                        wevtapi.EvtClose(handles[i]);
                    }
                }
            }
            return events;
        }

        @Override
        public Optional<String> bookmark()
                throws EventLogException
        {
            return positioned ? Optional.of(render(position, Winevt.EVT_RENDER_FLAGS.EvtRenderBookmark)) : Optional.empty();
        }

        @Override
        public void close()
        {
            if (closed) {
                return;
            }
            closed = true;
            wevtapi.EvtClose(subscription);
            wevtapi.EvtClose(position);
            kernel32.CloseHandle(signal);
        }
    }
}
