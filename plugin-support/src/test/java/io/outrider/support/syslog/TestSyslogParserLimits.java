package io.outrider.support.syslog;

import io.outrider.spi.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSyslogParserLimits
{
    @Test
    void acceptsEveryBoundAndTheAbsentTimestampOptions()
    {
        List<Problem> problems = new ArrayList<>();
        SyslogParserLimits.checkTimestampOptions(problems, null, null);
        SyslogParserLimits.checkTimestampOptions(problems, 1970, "UTC");
        SyslogParserLimits.checkTimestampOptions(problems, 9999, "+02:00");
        SyslogParserLimits.checkLengthOptions(problems, 16, 256, 1);
        SyslogParserLimits.checkLengthOptions(problems, Integer.MAX_VALUE, 1 << 20, 100_000);

        assertThat(problems).isEmpty();
    }

    @Test
    void refusesEachValueJustOutsideItsBoundInTheSharedWording()
    {
        List<Problem> problems = new ArrayList<>();
        SyslogParserLimits.checkTimestampOptions(problems, 1969, "Mars/Olympus_Mons");
        SyslogParserLimits.checkTimestampOptions(problems, 10_000, null);
        SyslogParserLimits.checkLengthOptions(problems, 15, 255, 0);
        SyslogParserLimits.checkLengthOptions(problems, 16, (1 << 20) + 1, 100_001);

        assertThat(problems).containsExactly(
                new Problem("year", "must be between 1970 and 9999, not 1969"),
                new Problem("timezone", "'Mars/Olympus_Mons' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00"),
                new Problem("year", "must be between 1970 and 9999, not 10000"),
                new Problem("max_field_length", "must be at least 16, not 15"),
                new Problem("max_message_length", "must be between 256 and 1048576, not 255"),
                new Problem("max_repeat_events", "must be between 1 and 100000, not 0"),
                new Problem("max_message_length", "must be between 256 and 1048576, not 1048577"),
                new Problem("max_repeat_events", "must be between 1 and 100000, not 100001"));
    }
}
