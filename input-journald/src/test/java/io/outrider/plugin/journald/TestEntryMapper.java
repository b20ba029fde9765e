package io.outrider.plugin.journald;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestEntryMapper
{
    private static final Instant TIME = Instant.parse("2026-11-23T10:00:00.123456Z");

    @Test
    void mapsWellKnownFieldsAndKeepsTheOthersInOrder()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        add(mapper, "_TRANSPORT=syslog", "MESSAGE=Failed password for root from 198.51.100.7 port 4242 ssh2", "PRIORITY=5",
                "SYSLOG_FACILITY=4", "SYSLOG_IDENTIFIER=sshd", "_PID=311", "SYSLOG_PID=311", "_COMM=sshd",
                "_HOSTNAME=bastion", "_SYSTEMD_UNIT=ssh.service", "_UID=0");
        Event event = mapper.build(TIME);
        assertThat(event.timestamp()).isEqualTo(TIME);
        assertThat(event.message()).isEqualTo("Failed password for root from 198.51.100.7 port 4242 ssh2");
        assertThat(event.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "bastion"),
                Map.entry(Fields.PROCESS_NAME, "sshd"),
                Map.entry(Fields.PROCESS_PID, 311L),
                Map.entry("systemd.unit", "ssh.service"),
                Map.entry(Fields.LOG_SYSLOG_PRIORITY, 5L),
                Map.entry(Fields.LOG_SYSLOG_FACILITY, 4L),
                Map.entry("journald._transport", "syslog"),
                Map.entry("journald._comm", "sshd"),
                Map.entry("journald._uid", "0"),
                Map.entry("journald.syslog_pid", "311"));
    }

    @Test
    void fallsBackToTheAgentHostSyslogPidAndCommand()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        add(mapper, "SYSLOG_PID=42", "_COMM=cron");
        Event event = mapper.build(TIME);
        assertThat(event.message()).isEmpty();
        assertThat(event.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "agent-host"),
                Map.entry(Fields.PROCESS_NAME, "cron"),
                Map.entry(Fields.PROCESS_PID, 42L),
                Map.entry("journald._comm", "cron"));
    }

    @Test
    void keepsValuesThatAreNotNumbersUnderJournald()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        add(mapper, "PRIORITY=high", "_PID=abc", "SYSLOG_PID=12", "SYSLOG_FACILITY=");
        Event event = mapper.build(TIME);
        assertThat(event.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "agent-host"),
                Map.entry(Fields.PROCESS_PID, 12L),
                Map.entry("journald._pid", "abc"),
                Map.entry("journald.priority", "high"),
                Map.entry("journald.syslog_facility", ""));
    }

    /** A walkthrough's PRIORITY=9 went out as syslog PRI 9, user.alert. */
    @Test
    void aPriorityOrFacilityOutOfItsRangeIsNoSyslogValue()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        add(mapper, "PRIORITY=9", "SYSLOG_FACILITY=24");
        Event event = mapper.build(TIME);
        assertThat(event.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "agent-host"),
                Map.entry("journald.priority", "9"),
                Map.entry("journald.syslog_facility", "24"));
    }

    @Test
    void includeAndExcludeSelectTheOtherFields()
    {
        EntryMapper mapper = mapper(List.of("_systemd_*", "_UID", "_COMM"), List.of("_SYSTEMD_CGROUP"), 1024);
        add(mapper, "MESSAGE=m", "_SYSTEMD_CGROUP=/system.slice", "_SYSTEMD_SLICE=system.slice", "_UID=0", "_GID=0",
                "_SYSTEMD_UNIT=ssh.service", "_COMM=sshd");
        Event event = mapper.build(TIME);
        assertThat(event.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "agent-host"),
                Map.entry(Fields.PROCESS_NAME, "sshd"),
                Map.entry("systemd.unit", "ssh.service"),
                Map.entry("journald._systemd_slice", "system.slice"),
                Map.entry("journald._uid", "0"),
                Map.entry("journald._comm", "sshd"));

        EntryMapper excludingComm = mapper(List.of(), List.of("_COMM"), 1024);
        add(excludingComm, "_COMM=sshd");
        assertThat(excludingComm.build(TIME).fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "agent-host"),
                Map.entry(Fields.PROCESS_NAME, "sshd"));
    }

    @Test
    void repeatedFieldsBecomeListsAndNothingLeaksIntoTheNextEntry()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        add(mapper, "MESSAGE=first", "TAG=a", "TAG=b", "TAG=c", "_HOSTNAME=h", "BIG=" + "x".repeat(2000));
        Event first = mapper.build(TIME);
        assertThat(first.field("journald.tag")).isEqualTo(List.of("a", "b", "c"));
        assertThat(first.field(Fields.LOG_FLAGS)).isEqualTo(List.of("truncated"));

        add(mapper, "MESSAGE=second");
        Event second = mapper.build(TIME.plusSeconds(1));
        assertThat(second.message()).isEqualTo("second");
        assertThat(second.fields()).containsExactly(Map.entry(Fields.HOST_NAME, "agent-host"));
        assertThat(mapper.truncatedFields()).isEqualTo(1);
    }

    @Test
    void cutsLongValuesAtACharacterBoundary()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 256);
        // 255 ASCII bytes then a 3-byte character that straddles the limit
        String message = "a".repeat(255) + "€" + "b".repeat(100);
        byte[] datum = ("MESSAGE=" + message).getBytes(StandardCharsets.UTF_8);
        mapper.addField(java.util.Arrays.copyOf(datum, mapper.bytesNeeded(datum.length)), datum.length);
        Event event = mapper.build(TIME);
        assertThat(event.message()).isEqualTo("a".repeat(255));
        assertThat(event.field(Fields.LOG_FLAGS)).isEqualTo(List.of("truncated"));
    }

    @Test
    void valueOfExactlyTheMaximumIsKeptWhole()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 256);
        add(mapper, "MESSAGE=" + "m".repeat(256));
        Event event = mapper.build(TIME);
        assertThat(event.message()).hasSize(256);
        assertThat(event.fields()).doesNotContainKey(Fields.LOG_FLAGS);
    }

    @Test
    void decodesInvalidUtf8WithReplacementCharacters()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        byte[] datum = {'M', 'E', 'S', 'S', 'A', 'G', 'E', '=', 'o', 'k', 0, (byte) 0xc3, (byte) 0x28, '\n'};
        mapper.addField(datum, datum.length);
        assertThat(mapper.build(TIME).message()).isEqualTo("ok\0\uFFFD(\n");
    }

    @Test
    void namesBeyondTheCacheStillMapAndRepeat()
    {
        EntryMapper mapper = mapper(List.of(), List.of(), 1024);
        for (int i = 0; i < 5000; i++) {
            add(mapper, "F" + i + "=" + i);
        }
        add(mapper, "F4999=again", "F0=again", "MESSAGE=after many names");
        Event event = mapper.build(TIME);
        assertThat(event.message()).isEqualTo("after many names");
        assertThat(event.fields()).hasSize(5001);
        assertThat(event.field("journald.f4999")).isEqualTo(List.of("4999", "again"));
        assertThat(event.field("journald.f0")).isEqualTo(List.of("0", "again"));

        add(mapper, "F4999=next entry");
        assertThat(mapper.build(TIME).field("journald.f4999")).isEqualTo("next entry");
    }

    @Test
    void realtimeMicrosecondsBecomeInstants()
    {
        assertThat(EntryMapper.instantOfMicros(1_700_000_000_123_456L)).isEqualTo(Instant.parse("2023-11-14T22:13:20.123456Z"));
        assertThat(EntryMapper.instantOfMicros(0)).isEqualTo(Instant.EPOCH);
    }

    private static EntryMapper mapper(List<String> includes, List<String> excludes, int maxValueBytes)
    {
        return new EntryMapper(new FieldSelector(includes, excludes), maxValueBytes, "agent-host");
    }

    private static void add(EntryMapper mapper, String... data)
    {
        for (String text : data) {
            byte[] datum = text.getBytes(StandardCharsets.UTF_8);
            mapper.addField(java.util.Arrays.copyOf(datum, mapper.bytesNeeded(datum.length)), datum.length);
        }
    }
}
