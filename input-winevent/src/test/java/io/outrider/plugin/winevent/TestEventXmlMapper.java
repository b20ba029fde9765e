package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class TestEventXmlMapper
{
    private static final Instant READ_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private final EventXmlMapper mapper = new EventXmlMapper("agent-host", false);

    @Test
    void everyFixtureEventMapsWithTheValuesItsXmlHolds()
            throws Exception
    {
        List<Path> files = Corpus.FIXTURE_FILES.stream().map(Corpus::fixture).toList();
        assertThat(assertEveryEventMapsAsWritten(files)).isEqualTo(15 + 7 + 4 + 5 + 7 + 25);
    }

    @Test
    void everySharedCorpusEventMapsWithTheValuesItsXmlHolds()
            throws Exception
    {
        List<Path> files = Corpus.SHARED_FILES.stream().map(SharedCorpus::winevent).toList();
        assertThat(assertEveryEventMapsAsWritten(files)).isEqualTo(2261 + 1881 + 358 + 4 + 7);
    }

    private int assertEveryEventMapsAsWritten(List<Path> files)
            throws EventXmlException
    {
        int mapped = 0;
        for (Path file : files) {
            for (String xml : Corpus.events(file)) {
                Event event = mapper.map(xml, Optional.empty(), READ_TIME);
                String where = file.getFileName() + " record " + Corpus.recordId(xml);
                assertThat(event.field(EventXmlMapper.EVENT_ID)).as(where).isEqualTo(Corpus.eventId(xml));
                assertThat(event.field(Fields.EVENT_CODE)).as(where).isEqualTo(Integer.toString(Corpus.eventId(xml)));
                assertThat(event.field(EventXmlMapper.RECORD_ID)).as(where).isEqualTo(Corpus.recordId(xml));
                assertThat(event.field(EventXmlMapper.CHANNEL)).as(where).isEqualTo(Corpus.channel(xml));
                assertThat(event.timestamp()).as(where).isEqualTo(Instant.parse(Corpus.systemTime(xml)));
                assertThat(event.field(EventXmlMapper.COMPUTER_NAME)).as(where).isEqualTo(Corpus.extract(xml, "<Computer>([^<]*)</Computer>"));
                assertThat(event.field(EventXmlMapper.PROVIDER_NAME)).as(where).isEqualTo(Corpus.extract(xml, "<Provider Name=\"([^\"]*)\""));
                assertThat(event.field(Fields.HOST_NAME)).as(where).isEqualTo(event.field(EventXmlMapper.COMPUTER_NAME));
                assertThat(event.message()).as(where).isNotBlank();
                assertThat(event.field(EventXmlMapper.ERROR_MESSAGE)).as(where).isNull();
                mapped++;
            }
        }
        return mapped;
    }

    @Test
    void namedEventDataBecomesFields()
            throws Exception
    {
        String xml = Corpus.events(Corpus.SYSMON).get(0);
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field("winlog.event_data.Image")).isEqualTo("C:\\Windows\\System32\\whoami.exe");
        assertThat(event.field("winlog.event_data.CommandLine")).isEqualTo("whoami  /all ");
        assertThat(event.field(EventXmlMapper.PROCESS_PID)).isEqualTo(3212L);
        assertThat(event.field(EventXmlMapper.THREAD_ID)).isEqualTo(4408L);
        assertThat(event.field(EventXmlMapper.USER_IDENTIFIER)).isEqualTo("S-1-5-18");
        assertThat(event.field(EventXmlMapper.LEVEL)).isEqualTo("information");
        assertThat(event.field(EventXmlMapper.TASK)).isEqualTo("1");
        assertThat(event.field(EventXmlMapper.VERSION)).isEqualTo(5);
        assertThat(event.message()).isEqualTo("Process creation (event 1)");
    }

    @Test
    void unnamedDataBecomesNumberedParametersAndQualifiersAreKept()
            throws Exception
    {
        String xml = Corpus.events(Corpus.SYSTEM).get(0);
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field("winlog.event_data.param1")).isEqualTo("10.00.");
        assertThat(event.field("winlog.event_data.param2")).isEqualTo("19045");
        assertThat(event.field("winlog.event_data.param3")).isEqualTo("");
        assertThat(event.field("winlog.event_data.param4")).isEqualTo("Multiprocessor Free");
        assertThat(event.field(EventXmlMapper.QUALIFIERS)).isEqualTo(32768);
        assertThat(event.field(EventXmlMapper.KEYWORDS)).isEqualTo(List.of("Classic"));
        assertThat(event.field(Fields.EVENT_OUTCOME)).isNull();
        assertThat(event.message()).isEqualTo("EventLog event 6009");
    }

    @Test
    void userDataIsFlattenedUnderItsElementName()
            throws Exception
    {
        String xml = Corpus.events(Corpus.SYSTEM).stream().filter(text -> text.contains("<InstallDeviceID")).findFirst().orElseThrow();
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field(EventXmlMapper.USER_DATA_XML_NAME)).isEqualTo("InstallDeviceID");
        assertThat(event.field("winlog.user_data.DriverProvider")).isEqualTo("Microsoft");
        assertThat(event.field("winlog.user_data.DeviceInstanceID")).isEqualTo("USBSTOR\\DISK&VEN_EXAMPLE&PROD_FLASH_DRIVE&REV_1.00\\0123456789ABCDEF&0");
    }

    @Test
    void controlCharactersInEventDataAreStrippedNotFatal()
            throws Exception
    {
        String xml = Corpus.events(Corpus.SECURITY).stream().filter(text -> text.contains("\u0003")).findFirst().orElseThrow();
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field("winlog.event_data.MinPasswordAge")).isEqualTo("");
        assertThat(event.field("winlog.event_data.LockoutThreshold")).isEqualTo("");
        assertThat(event.field("winlog.event_data.LockoutObservationWindow")).isEqualTo("");
        assertThat(event.field("winlog.event_data.DomainPolicyChanged")).isEqualTo("Lockout Policy");
        assertThat(event.field(EventXmlMapper.ERROR_MESSAGE)).isNull();
    }

    @Test
    void successfulLogonMapsToTheAuthVocabulary()
            throws Exception
    {
        String xml = Corpus.events(Corpus.SECURITY).stream()
                .filter(text -> Corpus.eventId(text) == 4624 && text.contains("<Data Name=\"LogonType\">10</Data>"))
                .findFirst()
                .orElseThrow();
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo("auth.login_success");
        assertThat(event.field(Fields.EVENT_OUTCOME)).isEqualTo("success");
        assertThat(event.field(Fields.USER_NAME)).isEqualTo("jdoe");
        assertThat(event.field(Fields.SOURCE_IP)).isEqualTo("198.51.100.44");
        assertThat(event.field(Fields.SOURCE_PORT)).isEqualTo(50112);
        assertThat(event.field(EventXmlMapper.LOGON_TYPE)).isEqualTo("RemoteInteractive");
        assertThat(event.field(EventXmlMapper.KEYWORDS)).isEqualTo(List.of("Audit Success"));
    }

    @Test
    void everyFixtureLogonHasActionOutcomeAndUser()
            throws Exception
    {
        List<Path> files = Corpus.FIXTURE_FILES.stream().map(Corpus::fixture).toList();
        // security.xml: four 4624, two 4625, a 4634 and a 4647; exposed-rdp.xml: one 4625
        assertThat(assertEveryLogonMaps(files)).isEqualTo(8 + 1);
    }

    @Test
    void everySharedCorpusLogonHasActionOutcomeAndUser()
            throws Exception
    {
        List<Path> files = Corpus.SHARED_FILES.stream().map(SharedCorpus::winevent).toList();
        assertThat(assertEveryLogonMaps(files)).isEqualTo(583 + 11 + 36 + 1);
    }

    private int assertEveryLogonMaps(List<Path> files)
            throws EventXmlException
    {
        int logons = 0;
        for (Path file : files) {
            for (String xml : Corpus.events(file)) {
                int id = Corpus.eventId(xml);
                if (id != 4624 && id != 4625 && id != 4634 && id != 4647) {
                    continue;
                }
                Event event = mapper.map(xml, Optional.empty(), READ_TIME);
                String expectedAction = switch (id) {
                    case 4624 -> "auth.login_success";
                    case 4625 -> "auth.login_failed";
                    default -> "auth.logout";
                };
                assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo(expectedAction);
                assertThat(event.field(Fields.EVENT_OUTCOME)).isEqualTo(id == 4625 ? "failure" : "success");
                String user = Corpus.extract(xml, "Name=\"TargetUserName\">([^<]*)<");
                assertThat(event.field(Fields.USER_NAME)).isEqualTo(user == null || user.equals("-") ? null : user);
                String ip = Corpus.extract(xml, "Name=\"IpAddress\">([^<]*)<");
                String expectedIp = ip == null || ip.equals("-") ? null : ip.startsWith("::ffff:") ? ip.substring("::ffff:".length()) : ip;
                assertThat(event.field(Fields.SOURCE_IP)).isEqualTo(expectedIp);
                logons++;
            }
        }
        return logons;
    }

    @Test
    void fixtureLogonsOfEveryKindMapToTheAuthVocabulary()
            throws Exception
    {
        List<Event> events = new java.util.ArrayList<>();
        for (String xml : Corpus.events(Corpus.SECURITY)) {
            events.add(mapper.map(xml, Optional.empty(), READ_TIME));
        }
        // The logons; the file's other security events have actions of their own (TestSecurityEventMapping).
        assertThat(events).filteredOn(event -> event.fieldAsString(Fields.EVENT_ACTION) != null && event.fieldAsString(Fields.EVENT_ACTION).startsWith("auth."))
                .extracting(event -> event.field(EventXmlMapper.EVENT_ID), event -> event.field(Fields.EVENT_ACTION), event -> event.field(Fields.USER_NAME),
                        event -> event.field(Fields.SOURCE_IP), event -> event.field(EventXmlMapper.LOGON_TYPE), event -> event.field(Fields.EVENT_REASON))
                .containsExactly(
                        tuple(4624, "auth.login_success", "jdoe", "198.51.100.44", "RemoteInteractive", null),
                        tuple(4624, "auth.login_success", "Administrator", "127.0.0.1", "Interactive", null),
                        tuple(4624, "auth.login_success", "svc-backup", "10.20.30.40", "Network", null),
                        tuple(4624, "auth.login_success", "SYSTEM", null, "Service", null),
                        tuple(4625, "auth.login_failed", "administrator", "203.0.113.66", "Network", "wrong password"),
                        tuple(4625, "auth.login_failed", "scanner", "2001:db8:77::5", "Network", "unknown user name"),
                        tuple(4634, "auth.logout", "jdoe", null, "RemoteInteractive", null),
                        tuple(4647, "auth.logout", "Administrator", null, null, null));
    }

    @Test
    void entitiesAndNonAsciiInEventDataAreDecoded()
            throws Exception
    {
        String process = Corpus.events(Corpus.SECURITY).stream().filter(text -> Corpus.eventId(text) == 4688).findFirst().orElseThrow();
        assertThat(mapper.map(process, Optional.empty(), READ_TIME).field("winlog.event_data.CommandLine"))
                .isEqualTo("cmd.exe /c \"copy C:\\Users\\jdoe\\Documents\\rapport-été.xlsx \\\\files\\share$ && echo <done>\"");
        String account = Corpus.events(Corpus.SECURITY).stream().filter(text -> Corpus.eventId(text) == 4720).findFirst().orElseThrow();
        Event created = mapper.map(account, Optional.empty(), READ_TIME);
        assertThat(created.field("winlog.event_data.DisplayName")).isEqualTo("Backup Admin (temporary) & \"ops\"");
        assertThat(created.field("winlog.event_data.UserAccountControl")).isEqualTo("\n\t\t%%2080\n\t\t%%2082\n\t\t%%2084");
        String file = Corpus.events(Corpus.SYSMON).stream().filter(text -> Corpus.eventId(text) == 11).findFirst().orElseThrow();
        assertThat(mapper.map(file, Optional.empty(), READ_TIME).field("winlog.event_data.TargetFilename"))
                .isEqualTo("C:\\Users\\jdoe\\AppData\\Local\\Temp\\upd\u2003ate.ps1");
    }

    @Test
    void failedLogonCarriesSourceAddressUserAndReason()
            throws Exception
    {
        String xml = Corpus.events(Corpus.EXPOSED_RDP).stream().filter(text -> Corpus.eventId(text) == 4625).findFirst().orElseThrow();
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo("auth.login_failed");
        assertThat(event.field(Fields.EVENT_OUTCOME)).isEqualTo("failure");
        assertThat(event.field(Fields.SOURCE_IP)).isEqualTo("192.0.2.187");
        assertThat(event.field(Fields.SOURCE_PORT)).isEqualTo(61544);
        assertThat(event.field(Fields.USER_NAME)).isEqualTo("Administrator");
        assertThat(event.field(EventXmlMapper.USER_DOMAIN)).isEqualTo("RDS-EDGE-01");
        // EventRecordID is a 64-bit counter: this fixture's are past 2^32
        assertThat(event.field(EventXmlMapper.RECORD_ID)).isEqualTo(4294967404L);
        assertThat(event.field(EventXmlMapper.LOGON_TYPE)).isEqualTo("RemoteInteractive");
        assertThat(event.field(Fields.EVENT_REASON)).isEqualTo("wrong password");
        assertThat(event.field(EventXmlMapper.KEYWORDS)).isEqualTo(List.of("Audit Failure"));
        assertThat(event.message()).isEqualTo("An account failed to log on (event 4625)");
    }

    @Test
    void renderedMessageAndRenderingInfoAreUsed()
            throws Exception
    {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
                + "<System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4624</EventID><Level>0</Level>"
                + "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2024-05-01T10:00:00.1234567Z'/>"
                + "<EventRecordID>7</EventRecordID><Channel>Security</Channel><Computer>dc1.corp.local</Computer></System>"
                + "<EventData><Data Name='TargetUserName'>alice</Data><Data Name='IpAddress'>::ffff:10.1.2.3</Data><Data Name='IpPort'>0</Data></EventData>"
                + "<RenderingInfo Culture='en-US'><Message>An account was successfully logged on.</Message><Level>Information</Level>"
                + "<Task>Logon</Task><Opcode>Info</Opcode><Keywords><Keyword>Audit Success</Keyword></Keywords></RenderingInfo></Event>";
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.message()).isEqualTo("An account was successfully logged on.");
        assertThat(event.field(EventXmlMapper.TASK)).isEqualTo("Logon");
        assertThat(event.field(EventXmlMapper.OPCODE)).isEqualTo("Info");
        assertThat(event.field(EventXmlMapper.LEVEL)).isEqualTo("information");
        assertThat(event.field(Fields.SOURCE_IP)).isEqualTo("10.1.2.3");
        assertThat(event.field(Fields.SOURCE_PORT)).isNull();
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.1234567Z"));

        Event formatted = mapper.map(xml, Optional.of("Formatted by Windows.\r\n"), READ_TIME);
        assertThat(formatted.message()).isEqualTo("Formatted by Windows.");
    }

    @Test
    void includeXmlKeepsTheOriginal()
            throws Exception
    {
        String xml = Corpus.events(Corpus.ACCOUNT_CREATION).get(0);
        Event event = new EventXmlMapper("agent-host", true).map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field(Fields.EVENT_ORIGINAL)).isEqualTo(xml);
    }

    @Test
    void doctypeAndExternalEntitiesAreRefused()
            throws Exception
    {
        // The parser reuses its reader between events: a refused document must not leave it weakened.
        mapper.map(Corpus.events(Corpus.ACCOUNT_CREATION).get(0), Optional.empty(), READ_TIME);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Event [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Event><System><EventID>1</EventID></System><EventData><Data Name='x'>&xxe;</Data></EventData></Event>";
        assertThatThrownBy(() -> mapper.map(xxe, Optional.empty(), READ_TIME))
                .isInstanceOf(EventXmlException.class)
                .hasMessageNotContaining("root:");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>"
                + "<Event><System><EventID>1</EventID></System><EventData><Data>&lol2;</Data></EventData></Event>";
        assertThatThrownBy(() -> mapper.map(laughs, Optional.empty(), READ_TIME)).isInstanceOf(EventXmlException.class);
        String undeclared = "<Event><System><EventID>1</EventID></System><EventData><Data>&nope;</Data></EventData></Event>";
        assertThatThrownBy(() -> mapper.map(undeclared, Optional.empty(), READ_TIME)).isInstanceOf(EventXmlException.class);
        assertThatThrownBy(() -> mapper.map(xxe, Optional.empty(), READ_TIME)).isInstanceOf(EventXmlException.class);
        assertThat(mapper.map(Corpus.events(Corpus.ACCOUNT_CREATION).get(1), Optional.empty(), READ_TIME).field(EventXmlMapper.EVENT_ID)).isEqualTo(4720);
    }

    @Test
    void brokenXmlIsReportedAndTurnedIntoAnErrorEvent()
    {
        assertThatThrownBy(() -> mapper.map("<Event><System><EventID>1</EventID>", Optional.empty(), READ_TIME))
                .isInstanceOf(EventXmlException.class)
                .hasMessageStartingWith("event XML is not well-formed: ");
        assertThatThrownBy(() -> mapper.map("<Other/>", Optional.empty(), READ_TIME))
                .hasMessage("the root element is <Other>, not <Event>");
        assertThatThrownBy(() -> mapper.map("<Event><System><EventID>x</EventID></System></Event>", Optional.empty(), READ_TIME))
                .hasMessage("System/EventID 'x' is not a number");

        Event error = mapper.errorEvent("<Event>\u0001broken", "Security", "reason", READ_TIME);
        assertThat(error.message()).isEqualTo("<Event>broken");
        assertThat(error.field(EventXmlMapper.ERROR_MESSAGE)).isEqualTo("reason");
        assertThat(error.field(EventXmlMapper.CHANNEL)).isEqualTo("Security");
        assertThat(error.field(Fields.HOST_NAME)).isEqualTo("agent-host");
    }

    @Test
    void timestampsInOtherRenderersFormsAreAccepted()
    {
        Instant fallback = Instant.EPOCH;
        assertThat(EventXmlMapper.parseTime("2016-07-08T18:12:51.681640800Z", fallback)).isEqualTo(Instant.parse("2016-07-08T18:12:51.681640800Z"));
        assertThat(EventXmlMapper.parseTime("2016-07-08T18:12:51.6816408Z", fallback)).isEqualTo(Instant.parse("2016-07-08T18:12:51.681640800Z"));
        assertThat(EventXmlMapper.parseTime("2016-07-08 18:12:51.681", fallback)).isEqualTo(Instant.parse("2016-07-08T18:12:51.681Z"));
        assertThat(EventXmlMapper.parseTime("2016-07-08T18:12:51", fallback)).isEqualTo(Instant.parse("2016-07-08T18:12:51Z"));
        assertThat(EventXmlMapper.parseTime("yesterday", fallback)).isEqualTo(fallback);
        assertThat(EventXmlMapper.parseTime(null, fallback)).isEqualTo(fallback);
    }

    @Test
    void providerNameIsFoundWithoutParsing()
    {
        assertThat(EventXmlMapper.providerName(Corpus.events(Corpus.SYSMON).get(0))).contains("Microsoft-Windows-Sysmon");
        assertThat(EventXmlMapper.providerName("<Event><System><Provider Name='EventLog'/></System></Event>")).contains("EventLog");
        assertThat(EventXmlMapper.providerName("<Event/>")).isEmpty();
    }
}
