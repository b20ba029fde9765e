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
                        + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"/var/log/auth.log\",\"reason\":\"failed_password\",\"port\":\"22\",\"source_hostname\":\"web1\"}}");
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
                .isEqualTo("{\"event\":\"log.line\",\"metadata\":{\"log_file\":\"/var/log/syslog\",\"source_hostname\":\"web1\"}}");
    }

    @Test
    void liteSocCallsEveryOpenSshProcessSshdWhileGenericFormatsKeepTheProcessName()
    {
        String expected = "{\"event\":\"auth.login_failed\",\"user_ip\":\"203.0.113.42\",\"actor\":{\"id\":\"root\"},"
                + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"/var/log/auth.log\",\"reason\":\"failed_password\",\"port\":\"22\",\"source_hostname\":\"web1\"}}";
        for (String process : List.of("sshd", "sshd-session", "sshd-auth")) {
            Event event = sshdFailedLogin().toBuilder().field(Fields.PROCESS_NAME, process).build();
            assertThat(new LiteSocEncoder(null).encode(event)).as(process).isEqualTo(expected);
            assertThat(utf8(EventJsonEncoder.ndjson(List.of(event)))).as(process).contains("\"process.name\":\"" + process + "\"");
        }
        Event other = sshdFailedLogin().toBuilder().field(Fields.PROCESS_NAME, "sshdfoo").build();
        assertThat(new LiteSocEncoder(null).encode(other)).contains("\"source\":\"sshdfoo\"");
    }

    @Test
    void liteSocSkipsVocabularyActionsItHasNoEventForAndSendsCustomActionsAsTheyAre()
    {
        LiteSocEncoder encoder = new LiteSocEncoder(null);
        Event created = Event.builder().timestamp(TIME).field(Fields.EVENT_ACTION, "account.created").build();
        assertThat(encoder.skipReason(created)).isEqualTo("litesoc has no event for account.created");
        assertThat(encoder.encode(created)).isNull();
        Event custom = Event.builder().timestamp(TIME).field(Fields.EVENT_ACTION, "app.export").build();
        assertThat(encoder.skipReason(custom)).isNull();
        assertThat(encoder.encode(custom)).isEqualTo("{\"event\":\"app.export\"}");
        assertThat(encoder.skipReason(fileLine("x"))).isEqualTo("not a security event (no event.action); set litesoc_default_event to send such events");
        assertThat(new LiteSocEncoder("log.line").skipReason(fileLine("x"))).isNull();
    }

    @Test
    void everyVocabularyActionIsEitherMappedOntoLiteSocOrSkipped()
            throws Exception
    {
        List<String> unmapped = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : io.outrider.spi.SecurityActions.class.getFields()) {
            String action = (String) field.get(null);
            if (!LiteSocEncoder.LITESOC_EVENTS.containsKey(action) && !LiteSocEncoder.WITHOUT_LITESOC_EVENT.contains(action)) {
                unmapped.add(action);
            }
        }
        assertThat(unmapped).as("actions the LiteSOC format would send under our own name").isEmpty();
        assertThat(LiteSocEncoder.LITESOC_EVENTS.keySet()).doesNotContainAnyElementsOf(LiteSocEncoder.WITHOUT_LITESOC_EVENT);
    }

    @Test
    void logNogFileEvent()
    {
        LogNogEncoder encoder = new LogNogEncoder("lognog-in", "agent-host", "1.2.3");
        assertThat(encoder.encode(List.of(fileLine("Nov 23 10:15:30 web1 CRON[1]: \"job\" ran"))))
                .isEqualTo("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\","
                        + "\"source_type\":\"file\",\"file_path\":\"/var/log/syslog\",\"message\":\"Nov 23 10:15:30 web1 CRON[1]: \\\"job\\\" ran\","
                        + "\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\",\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogFileEventAParserClassifiedShipsTheLineAsReadAndWhatWasClassified()
    {
        String line = "Dec  5 14:03:01 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id";
        Event event = fileLine(line).toBuilder()
                .message("   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id")
                .field(Fields.EVENT_ORIGINAL, line)
                .field(Fields.EVENT_ACTION, "privilege.use")
                .field(Fields.EVENT_OUTCOME, "success")
                .field(Fields.EVENT_REASON, "sudo")
                .field(Fields.USER_NAME, "alice")
                .field(Fields.USER_TARGET_NAME, "root")
                .field(Fields.PROCESS_COMMAND_LINE, "/usr/bin/id")
                .field(Fields.PROCESS_WORKING_DIRECTORY, "/home/alice")
                .field(Fields.PROCESS_TTY, "pts/0")
                .build();

        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1.2.3").encode(List.of(event)))
                .isEqualTo("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\","
                        + "\"source_type\":\"file\",\"file_path\":\"/var/log/syslog\",\"message\":\"" + line + "\","
                        + "\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\",\"action\":\"privilege.use\","
                        + "\"outcome\":\"success\",\"user\":\"alice\",\"target_user\":\"root\",\"command_line\":\"/usr/bin/id\","
                        + "\"working_directory\":\"/home/alice\",\"tty\":\"pts/0\",\"reason\":\"sudo\",\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogTimestampsHaveExactlyThreeFractionalDigits()
    {
        LogNogEncoder encoder = new LogNogEncoder("lognog-in", "h", "1");
        assertThat(encoder.encode(List.of(Event.of(Instant.parse("2026-11-23T10:15:30.123456789Z"), "a"),
                Event.of(Instant.parse("2026-11-23T10:15:31Z"), "b"))))
                .contains("\"timestamp\":\"2026-11-23T10:15:30.123Z\"")
                .contains("\"timestamp\":\"2026-11-23T10:15:31.000Z\"");
    }

    @Test
    void logNogSourceIsLogNogInUnlessConfigured()
    {
        HttpOutputConfig defaults = TestingConfigs.config(HttpOutputConfig.Format.LOGNOG, java.net.URI.create("https://l.example")).build();
        assertThat(defaults.effectiveLogNogSource()).isEqualTo("lognog-in");
        HttpOutputConfig older = TestingConfigs.config(HttpOutputConfig.Format.LOGNOG, java.net.URI.create("https://l.example")).agentName("edge-7").build();
        assertThat(older.effectiveLogNogSource()).isEqualTo("edge-7");
        HttpOutputConfig both = TestingConfigs.config(HttpOutputConfig.Format.LOGNOG, java.net.URI.create("https://l.example"))
                .agentName("edge-7").source("dmz").build();
        assertThat(both.effectiveLogNogSource()).isEqualTo("dmz");

        Event event = fileLine("x").toBuilder().field(Fields.AGENT_NAME, "edge-7").removeField(Fields.HOST_NAME).build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1.2.3").encode(List.of(event)))
                .startsWith("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"agent-host\",\"source\":\"lognog-in\",");
    }

    @Test
    void logNogFimEvent()
    {
        Event modified = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("modified /etc/passwd (size, hash)")
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
        Event created = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:01Z")).message("created /etc/new")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "created")
                .field(Fields.FILE_PATH, "/etc/new")
                .field(Fields.FILE_HASH_SHA256, "sha256:cc33")
                .build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1.2.3").encode(List.of(modified, created))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\",\"source_type\":\"fim\","
                + "\"event_type\":\"modified\",\"file_path\":\"/etc/passwd\",\"previous_hash\":\"sha256:aa11\",\"current_hash\":\"sha256:bb22\","
                + "\"file_owner\":\"root\",\"file_permissions\":\"0644\",\"message\":\"modified /etc/passwd (size, hash)\","
                + "\"metadata\":{\"file_size\":1822,\"file_group\":\"root\",\"agent_version\":\"1.2.3\"}},"
                + "{\"timestamp\":\"2026-11-23T10:00:01.000Z\",\"hostname\":\"agent-host\",\"source\":\"lognog-in\",\"source_type\":\"fim\","
                + "\"event_type\":\"created\",\"file_path\":\"/etc/new\",\"previous_hash\":null,\"current_hash\":\"sha256:cc33\","
                + "\"message\":\"created /etc/new\",\"metadata\":{\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogFimDeletionCarriesTheLastDigestAsPreviousHash()
    {
        // input-fim describes a deleted file as it was: its last digest is in file.hash.sha256
        Event deleted = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:02Z")).message("deleted /etc/cron.d/backup")
                .field(Fields.HOST_NAME, "web1")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "deleted")
                .field(Fields.FILE_PATH, "/etc/cron.d/backup")
                .field(Fields.FILE_HASH_SHA256, "dd44")
                .field(Fields.FILE_OWNER, "root")
                .field(Fields.FILE_MODE, "0644")
                .build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1.2.3").encode(List.of(deleted))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:02.000Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\",\"source_type\":\"fim\","
                + "\"event_type\":\"deleted\",\"file_path\":\"/etc/cron.d/backup\",\"previous_hash\":\"sha256:dd44\",\"current_hash\":null,"
                + "\"file_owner\":\"root\",\"file_permissions\":\"0644\",\"message\":\"deleted /etc/cron.d/backup\","
                + "\"metadata\":{\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogSkipsTheFimScanCompleteMarker()
    {
        Event marker = Event.builder().timestamp(TIME).message("scan_complete (baseline): 3 files, 0 created, 0 modified, 0 deleted")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "scan_complete")
                .field("fim.scan.files", 3L)
                .build();
        LogNogEncoder.Encoded encoded = new LogNogEncoder("lognog-in", "h", "1").encode(List.of(marker, fileLine("a")), Integer.MAX_VALUE);
        assertThat(encoded.tooLarge()).isFalse();
        assertThat(encoded.fitting()).isEqualTo(2);
        assertThat(encoded.sentIndexes()).containsExactly(1);
        assertThat(encoded.skipped()).isEqualTo(Map.of(0, "a FIM scan_complete marker is not a file change; LogNog has no event for it"));
        assertThat(encoded.json()).startsWith("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\","
                + "\"source_type\":\"file\",").doesNotContain("scan_complete");

        LogNogEncoder.Encoded onlyMarker = new LogNogEncoder("lognog-in", "h", "1").encode(List.of(marker), Integer.MAX_VALUE);
        assertThat(onlyMarker.json()).isNull();
        assertThat(onlyMarker.skipped()).containsOnlyKeys(0);
    }

    @Test
    void logNogWindowsEventCarriesTheMappedLogonFieldsAndEventData()
    {
        // a 4625 as input-winevent maps it (EventXmlMapper + LogonMapping)
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00.5Z"))
                .message("An account failed to log on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-0-0")
                .field(Fields.HOST_NAME, "dc1.corp.example")
                .field(Fields.EVENT_MODULE, "winlog")
                .field(LogNogEncoder.WINLOG_CHANNEL, "Security")
                .field(LogNogEncoder.WINLOG_EVENT_ID, 4625)
                .field(LogNogEncoder.WINLOG_PROVIDER_NAME, "Microsoft-Windows-Security-Auditing")
                .field(LogNogEncoder.WINLOG_RECORD_ID, 99L)
                .field(LogNogEncoder.WINLOG_COMPUTER_NAME, "DC1")
                .field(LogNogEncoder.WINLOG_LEVEL, "information")
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .field("winlog.event_data.TargetUserName", "administrator")
                .field("winlog.event_data.TargetDomainName", "CORP")
                .field("winlog.event_data.Status", "0xc000006d")
                .field("winlog.event_data.SubStatus", "0xc000006a")
                .field("winlog.event_data.LogonType", "3")
                .field("winlog.event_data.IpAddress", "203.0.113.9")
                .field("winlog.event_data.IpPort", "50122")
                .field(Fields.EVENT_ACTION, "auth.login_failed")
                .field(Fields.EVENT_REASON, "invalid_password")
                .field(Fields.USER_NAME, "administrator")
                .field(Fields.USER_DOMAIN, "CORP")
                .field(Fields.SOURCE_IP, "203.0.113.9")
                .field(Fields.SOURCE_PORT, 50122)
                .field(LogNogEncoder.WINLOG_LOGON_TYPE, "Network")
                .build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1.2.3").encode(List.of(event))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:00.500Z\",\"hostname\":\"dc1.corp.example\",\"source\":\"lognog-in\","
                + "\"source_type\":\"windows_events\",\"event_id\":4625,\"computer\":\"DC1\",\"channel\":\"Security\","
                + "\"message\":\"An account failed to log on.\\r\\n\\r\\nSubject:\\r\\n\\tSecurity ID:\\t\\tS-1-0-0\","
                + "\"metadata\":{\"provider\":\"Microsoft-Windows-Security-Auditing\",\"record_id\":99,\"level\":\"information\","
                + "\"action\":\"auth.login_failed\",\"outcome\":\"failure\",\"user\":\"administrator\",\"domain\":\"CORP\","
                + "\"source_ip\":\"203.0.113.9\",\"source_port\":50122,\"failure_reason\":\"invalid_password\",\"logon_type\":\"Network\","
                + "\"event_data\":{\"TargetUserName\":\"administrator\",\"TargetDomainName\":\"CORP\",\"Status\":\"0xc000006d\","
                + "\"SubStatus\":\"0xc000006a\",\"LogonType\":\"3\",\"IpAddress\":\"203.0.113.9\",\"IpPort\":\"50122\"},"
                + "\"agent_version\":\"1.2.3\"}}]}");
    }

    @Test
    void logNogWindowsEventCarriesTheTargetGroupAndServiceFields()
    {
        Event memberAdded = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("A member was added to a security-enabled global group.")
                .field(LogNogEncoder.WINLOG_CHANNEL, "Security")
                .field(LogNogEncoder.WINLOG_EVENT_ID, 4728)
                .field(Fields.EVENT_ACTION, "group.member_added")
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS)
                .field(Fields.USER_NAME, "admin")
                .field(Fields.USER_ID, "S-1-5-21-1-500")
                .field(Fields.USER_TARGET_NAME, "mallory")
                .field(Fields.USER_TARGET_ID, "S-1-5-21-1-1107")
                .field(Fields.GROUP_NAME, "Domain Admins")
                .build();
        Event serviceInstalled = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:01Z")).message("A service was installed in the system.")
                .field(LogNogEncoder.WINLOG_CHANNEL, "System")
                .field(LogNogEncoder.WINLOG_EVENT_ID, 7045)
                .field(Fields.EVENT_ACTION, "service.installed")
                .field(Fields.SERVICE_NAME, "updater")
                .field(Fields.PROCESS_COMMAND_LINE, "C:\\Windows\\Temp\\u.exe -k")
                .build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1").encode(List.of(memberAdded, serviceInstalled))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"hostname\":\"agent-host\",\"source\":\"lognog-in\",\"source_type\":\"windows_events\","
                + "\"event_id\":4728,\"channel\":\"Security\",\"message\":\"A member was added to a security-enabled global group.\","
                + "\"metadata\":{\"action\":\"group.member_added\",\"outcome\":\"success\",\"user\":\"admin\",\"user_id\":\"S-1-5-21-1-500\","
                + "\"target_user\":\"mallory\",\"target_user_id\":\"S-1-5-21-1-1107\",\"group\":\"Domain Admins\",\"agent_version\":\"1\"}},"
                + "{\"timestamp\":\"2026-11-23T10:00:01.000Z\",\"hostname\":\"agent-host\",\"source\":\"lognog-in\",\"source_type\":\"windows_events\","
                + "\"event_id\":7045,\"channel\":\"System\",\"message\":\"A service was installed in the system.\","
                + "\"metadata\":{\"action\":\"service.installed\",\"service\":\"updater\",\"command_line\":\"C:\\\\Windows\\\\Temp\\\\u.exe -k\","
                + "\"agent_version\":\"1\"}}]}");
    }

    @Test
    void logNogJournaldEvent()
    {
        // as input-journald maps an entry: no log.file.path, the unit, and the entry's other fields under journald.*
        Event entry = Event.builder().timestamp(Instant.parse("2026-11-23T10:15:30.123456Z")).message("Started Daily apt upgrade.")
                .field(Fields.HOST_NAME, "web1")
                .field(Fields.PROCESS_NAME, "systemd")
                .field(Fields.PROCESS_PID, 1L)
                .field(Fields.SYSTEMD_UNIT, "apt-daily-upgrade.service")
                .field(Fields.LOG_SYSLOG_PRIORITY, 6L)
                .field(Fields.LOG_SYSLOG_FACILITY, 3L)
                .field("journald.comm", "systemd")
                .build();
        Event unitless = Event.builder().timestamp(TIME).message("kernel: eth0 up").field("journald.transport", "kernel").build();
        assertThat(new LogNogEncoder("lognog-in", "agent-host", "1").encode(List.of(entry, unitless))).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\",\"source_type\":\"journald\","
                + "\"message\":\"Started Daily apt upgrade.\",\"metadata\":{\"unit\":\"apt-daily-upgrade.service\",\"process\":\"systemd\","
                + "\"pid\":1,\"priority\":6,\"facility\":3,\"agent_version\":\"1\"}},"
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"agent-host\",\"source\":\"lognog-in\",\"source_type\":\"journald\","
                + "\"message\":\"kernel: eth0 up\",\"metadata\":{\"agent_version\":\"1\"}}]}");
    }

    @Test
    void logNogEventFromNeitherFileNorJournalTakesItsModuleAsSourceType()
    {
        Event event = Event.builder().timestamp(TIME).message("m").field(Fields.EVENT_MODULE, "heartbeat").build();
        assertThat(new LogNogEncoder("lognog-in", "h", "1").encode(List.of(event))).isEqualTo("{\"events\":[{\"timestamp\":\"2026-11-23T10:15:30.123Z\","
                + "\"hostname\":\"h\",\"source\":\"lognog-in\",\"source_type\":\"heartbeat\",\"message\":\"m\",\"metadata\":{\"agent_version\":\"1\"}}]}");
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
    void ecsFormatIsOneNestedDocumentPerLine()
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:15:30.123Z")).message("m")
                .field("source.ip", "203.0.113.42").field("source.port", 22).field("event.action", "auth.login_failed").build();

        io.outrider.support.JsonByteWriter out = new io.outrider.support.JsonByteWriter(64);
        EventJsonEncoder.ndjson(List.of(event, event), out, io.outrider.support.EventDocument.ECS);
        assertThat(utf8(out.toByteArray()))
                .isEqualTo(("{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"message\":\"m\",\"source\":{\"ip\":\"203.0.113.42\",\"port\":22},"
                        + "\"event\":{\"action\":\"auth.login_failed\"}}\n").repeat(2));
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
