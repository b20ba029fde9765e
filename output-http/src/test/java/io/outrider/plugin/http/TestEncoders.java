package io.outrider.plugin.http;

import io.outrider.support.JsonReader;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.outrider.plugin.http.TestingEvents.TIME;
import static io.outrider.plugin.http.TestingEvents.fileLine;
import static io.outrider.plugin.http.TestingEvents.sshdFailedLogin;
import static org.assertj.core.api.Assertions.assertThat;

class TestEncoders
{
    @Test
    void liteSocEventHasExactlyTheDocumentedShape()
    {
        assertThat(new LiteSocEncoder(null).encode(sshdFailedLogin())).isEqualTo(
                "{\"event\":\"auth.login_failed\",\"user_ip\":\"203.0.113.42\",\"actor\":{\"id\":\"root\"},"
                        + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"/var/log/auth.log\",\"reason\":\"failed_password\",\"port\":\"22\"}}");
    }

    @Test
    void liteSocLeavesOutWhatTheEventLacksAndFallsBackToTheModule()
    {
        Event event = Event.builder().timestamp(TIME).message("x")
                .field(Fields.EVENT_ACTION, "file.modified")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.SOURCE_PORT, 2222.0)
                .build();
        assertThat(new LiteSocEncoder(null).encode(event))
                .isEqualTo("{\"event\":\"file.modified\",\"metadata\":{\"source\":\"fim\",\"port\":\"2222\"}}");
        assertThat(new LiteSocEncoder(null).encode(Event.builder().timestamp(TIME).field(Fields.EVENT_ACTION, "a").build()))
                .isEqualTo("{\"event\":\"a\"}");
    }

    @Test
    void liteSocSkipsEventsWithoutActionUnlessADefaultIsConfigured()
    {
        assertThat(new LiteSocEncoder(null).encode(fileLine("hello"))).isNull();
        assertThat(new LiteSocEncoder("log.line").encode(fileLine("hello")))
                .isEqualTo("{\"event\":\"log.line\",\"metadata\":{\"log_file\":\"/var/log/syslog\"}}");
    }

    @Test
    void logNogFileEvent()
    {
        LogNogEncoder encoder = new LogNogEncoder(null, "agent-host", "1.2.3");
        assertThat(encoder.encode(List.of(fileLine("Nov 23 10:15:30 web1 CRON[1]: \"job\" ran"))))
                .isEqualTo("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"agent-host\","
                        + "\"source_type\":\"file\",\"file_path\":\"/var/log/syslog\",\"message\":\"Nov 23 10:15:30 web1 CRON[1]: \\\"job\\\" ran\","
                        + "\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\",\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogSourceIsTheConfiguredNameThenTheEventsAgentName()
    {
        Event event = fileLine("x").toBuilder().field(Fields.AGENT_NAME, "edge-7").removeField(Fields.HOST_NAME).build();
        assertThat(new LogNogEncoder(null, "agent-host", "1.2.3").encode(List.of(event)))
                .startsWith("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"agent-host\",\"source\":\"edge-7\",");
        assertThat(new LogNogEncoder("configured", "agent-host", "1.2.3").encode(List.of(event)))
                .contains("\"source\":\"configured\",");
    }

    @Test
    void logNogFimEvent()
    {
        Event modified = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("file modified: /etc/passwd")
                .field(Fields.HOST_NAME, "web1")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "modified")
                .field(Fields.FILE_PATH, "/etc/passwd")
                .field(Fields.FILE_HASH_SHA256, "bb22")
                .field(LogNogEncoder.PREVIOUS_HASH, "aa11")
                .field(Fields.FILE_OWNER, "root")
                .field(Fields.FILE_GROUP, "root")
                .field(Fields.FILE_MODE, "0644")
                .field(Fields.FILE_SIZE, 1822L)
                .build();
        Event created = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:01Z")).message("file created: /etc/new")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "created")
                .field(Fields.FILE_PATH, "/etc/new")
                .field(Fields.FILE_HASH_SHA256, "sha256:cc33")
                .build();
        assertThat(new LogNogEncoder(null, "agent-host", "1.2.3").encode(List.of(modified, created))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:00Z\",\"hostname\":\"web1\",\"source\":\"agent-host\",\"source_type\":\"fim\","
                + "\"event_type\":\"modified\",\"file_path\":\"/etc/passwd\",\"previous_hash\":\"sha256:aa11\",\"current_hash\":\"sha256:bb22\","
                + "\"file_owner\":\"root\",\"file_permissions\":\"0644\",\"message\":\"file modified: /etc/passwd\","
                + "\"metadata\":{\"file_size\":1822,\"file_group\":\"root\",\"agent_version\":\"1.2.3\"}},"
                + "{\"timestamp\":\"2026-11-23T10:00:01Z\",\"hostname\":\"agent-host\",\"source\":\"agent-host\",\"source_type\":\"fim\","
                + "\"event_type\":\"created\",\"file_path\":\"/etc/new\",\"previous_hash\":null,\"current_hash\":\"sha256:cc33\","
                + "\"message\":\"file created: /etc/new\",\"metadata\":{\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogWindowsEvent()
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("An account failed to log on.")
                .field(Fields.HOST_NAME, "dc1.corp.example")
                .field(LogNogEncoder.WINLOG_EVENT_ID, 4625L)
                .field(LogNogEncoder.WINLOG_CHANNEL, "Security")
                .field(LogNogEncoder.WINLOG_COMPUTER_NAME, "DC1")
                .field(LogNogEncoder.WINLOG_PROVIDER_NAME, "Microsoft-Windows-Security-Auditing")
                .field(LogNogEncoder.WINLOG_RECORD_ID, 99L)
                .field(LogNogEncoder.WINLOG_LEVEL, "information")
                .build();
        assertThat(new LogNogEncoder(null, "agent-host", "1.2.3").encode(List.of(event))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:00Z\",\"hostname\":\"dc1.corp.example\",\"source\":\"agent-host\","
                + "\"source_type\":\"windows_events\",\"event_id\":4625,\"computer\":\"DC1\",\"channel\":\"Security\","
                + "\"message\":\"An account failed to log on.\",\"metadata\":{\"provider\":\"Microsoft-Windows-Security-Auditing\","
                + "\"record_id\":99,\"level\":\"information\",\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogEventNotFromAFileTakesItsModuleAsSourceType()
    {
        Event event = Event.builder().timestamp(TIME).message("m").field(Fields.EVENT_MODULE, "journald").build();
        assertThat(new LogNogEncoder(null, "h", "1").encode(List.of(event))).isEqualTo("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\","
                + "\"hostname\":\"h\",\"source\":\"h\",\"source_type\":\"journald\",\"message\":\"m\",\"metadata\":{\"agent_version\":\"1\"}}]}");
    }

    @Test
    void ndjsonAndJsonCarryTheEventModel()
    {
        Event event = Event.builder().timestamp(TIME).message("line \u0001 \u2028 \"q\" \\")
                .field("source.ip", "203.0.113.42")
                .field("source.port", 22L)
                .field("ratio", 0.5)
                .field("nan", Double.NaN)
                .field("ok", true)
                .field("tags", List.of("a", "b"))
                .field("labels", Map.of("k", "v"))
                .field("message", "shadowed")
                .build();
        String expected = "{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"message\":\"line \\u0001 \\u2028 \\\"q\\\" \\\\\","
                + "\"source.ip\":\"203.0.113.42\",\"source.port\":22,\"ratio\":0.5,\"nan\":null,\"ok\":true,\"tags\":[\"a\",\"b\"],"
                + "\"labels\":{\"k\":\"v\"}}";
        Event second = Event.of(Instant.parse("2026-11-23T10:15:31Z"), "second");
        assertThat(utf8(EventJsonEncoder.ndjson(List.of(event, second))))
                .isEqualTo(expected + "\n{\"@timestamp\":\"2026-11-23T10:15:31Z\",\"message\":\"second\"}\n");
        assertThat(utf8(EventJsonEncoder.jsonArray(List.of(event, second))))
                .isEqualTo("[" + expected + ",{\"@timestamp\":\"2026-11-23T10:15:31Z\",\"message\":\"second\"}]");
    }

    @Test
    void encodedJsonParsesBack()
    {
        String text = utf8(EventJsonEncoder.jsonArray(List.of(sshdFailedLogin(), Event.of(TIME, "emoji \uD83D\uDE00 lone \uD800 end"))));
        Object parsed = JsonReader.parse(text);
        assertThat(parsed).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(2);
        assertThat(((Map<?, ?>) ((List<?>) parsed).get(1)).get("message")).isEqualTo("emoji \uD83D\uDE00 lone \ufffd end");
        assertThat(((Map<?, ?>) ((List<?>) parsed).get(0)).get("source.port")).isEqualTo(22L);
    }

    private static String utf8(byte[] bytes)
    {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
