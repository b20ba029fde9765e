package io.outrider.plugin.winevent;

import com.sun.jna.platform.win32.WinError;
import io.outrider.plugin.winevent.EventLogApi.RenderedEvent;
import io.outrider.plugin.winevent.EventLogApi.StartPosition;
import io.outrider.plugin.winevent.EventLogApi.Subscription;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The JNA layer against the real Windows Event Log. Runs only on Windows: elsewhere wevtapi.dll does not exist, and
 * JUnit reports these tests as skipped ("Disabled on operating system").
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "the Windows Event Log API (wevtapi.dll) exists only on Windows")
class TestWevtapiEventLogApi
{
    private static final String CHANNEL = "System";

    @Test
    void readsRendersBookmarksAndResumesAfterTheBookmark()
            throws Exception
    {
        String query = QueryBuilder.build(CHANNEL, EventIdSelection.ALL, Set.of(), List.of());
        EventXmlMapper mapper = new EventXmlMapper("test-host", false);
        try (WevtapiEventLogApi api = new WevtapiEventLogApi()) {
            OptionalLong oldest = api.oldestRecordId(CHANNEL);
            assertThat(oldest).isPresent();
            List<RenderedEvent> first;
            String bookmark;
            try (Subscription subscription = api.subscribe(CHANNEL, query, StartPosition.OLDEST, Optional.empty())) {
                api.await(List.of(subscription), Duration.ofSeconds(5));
                subscription.resetSignal();
                first = subscription.next(5);
                assertThat(first).isNotEmpty();
                bookmark = subscription.bookmark().orElseThrow();
            }
            Event event = mapper.map(first.get(0).xml(), first.get(0).message(), Instant.now());
            assertThat(event.field(EventXmlMapper.CHANNEL)).isEqualTo(CHANNEL);
            assertThat(event.field(EventXmlMapper.RECORD_ID)).isEqualTo(oldest.getAsLong());
            long lastRead = (Long) mapper.map(first.get(first.size() - 1).xml(), Optional.empty(), Instant.now()).field(EventXmlMapper.RECORD_ID);
            assertThat(Bookmarks.recordId(bookmark)).hasValue(lastRead);

            try (Subscription resumed = api.subscribe(CHANNEL, query, StartPosition.AFTER_BOOKMARK, Optional.of(bookmark))) {
                List<RenderedEvent> next = resumed.next(1);
                if (!next.isEmpty()) {
                    long recordId = (Long) mapper.map(next.get(0).xml(), Optional.empty(), Instant.now()).field(EventXmlMapper.RECORD_ID);
                    assertThat(recordId).isGreaterThan(lastRead);
                }
            }
        }
    }

    @Test
    void missingChannelAndGoneBookmarkAreReportedWithTheirCodes()
    {
        try (WevtapiEventLogApi api = new WevtapiEventLogApi()) {
            EventLogException missing = catchThrowableOfType(EventLogException.class, () -> api.subscribe("Outrider-No-Such-Channel/Operational", "*", StartPosition.OLDEST, Optional.empty()));
            assertThat(EventLogErrors.isChannelUnavailable(missing.errorCode())).as(missing.getMessage()).isTrue();

            String beforeEverything = Bookmarks.of(CHANNEL, 0);
            EventLogException gone = catchThrowableOfType(EventLogException.class, () -> api.subscribe(CHANNEL, QueryBuilder.fromRaw(CHANNEL, "*"), StartPosition.AFTER_BOOKMARK, Optional.of(beforeEverything)));
            assertThat(gone.errorCode()).as(gone.getMessage()).isEqualTo(WinError.ERROR_NOT_FOUND);
        }
    }

    @Test
    void wakeUpEndsAWait()
            throws Exception
    {
        try (WevtapiEventLogApi api = new WevtapiEventLogApi()) {
            api.wakeUp();
            long started = System.nanoTime();
            api.await(List.of(), Duration.ofMinutes(1));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
    }
}
