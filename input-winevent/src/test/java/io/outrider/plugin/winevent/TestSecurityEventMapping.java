package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;
import io.outrider.support.testing.SharedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Windows side of the shared security vocabulary: which action, subject, target, group and service each event gets. */
class TestSecurityEventMapping
{
    private static final Instant READ_TIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CORP = "S-1-5-21-3877411298-2204315006-1429075544-";
    private static final String WS_FIN = "S-1-5-21-1004336348-1177238915-682003330-";
    private static final String LAB = "S-1-5-21-2718281828-3141592653-1618033988-";

    private final EventXmlMapper mapper = new EventXmlMapper("agent-host", false);

    /**
     * What one fixture event maps to; {@code occurrence} picks among events of the same id in a file. Every field is
     * compared, absent ones included, so an event never carries a group or service it does not have.
     */
    record Expected(String file, int id, int occurrence, String action, String category, String outcome, String reason,
            String user, String target, String targetId, String group, String service)
    {
        @Override
        public String toString()
        {
            return id + (occurrence > 0 ? " #" + (occurrence + 1) : "") + " → " + action + " (" + file.substring(file.indexOf('/') + 1) + ")";
        }
    }

    static List<Expected> everyMappedId()
    {
        String security = Corpus.SECURITY;
        String accounts = Corpus.ACCOUNT_CREATION;
        String actions = Corpus.SECURITY_ACTIONS;
        return List.of(
                new Expected(actions, 4648, 0, "auth.explicit_credentials", "authentication", "success", null, "jdoe", "svc-deploy", null, null, null),
                new Expected(security, 4672, 0, "privilege.use", "iam", "success", "special_privileges", "jdoe", null, null, null, null),
                new Expected(security, 4688, 0, "process.started", "process", "success", null, "jdoe", null, null, null, null),
                new Expected(actions, 4698, 0, "task.changed", "configuration", "success", "created", "jdoe", null, null, null, null),
                new Expected(actions, 4699, 0, "task.changed", "configuration", "success", "deleted", "a.nowak", null, null, null, null),
                new Expected(actions, 4700, 0, "task.changed", "configuration", "success", "enabled", "a.nowak", null, null, null, null),
                new Expected(actions, 4701, 0, "task.changed", "configuration", "success", "disabled", "a.nowak", null, null, null, null),
                new Expected(actions, 4702, 0, "task.changed", "configuration", "success", "updated", "jdoe", null, null, null, null),
                new Expected(security, 4720, 0, "account.created", "iam", "success", null, "Administrator", "backup-admin", WS_FIN + "1131", null, null),
                new Expected(accounts, 4722, 0, "account.enabled", "iam", "success", null, "m.okafor", "svc-scanner", LAB + "1131", null, null),
                new Expected(actions, 4723, 0, "password.changed", "iam", "success", "changed", "jdoe", "jdoe", CORP + "1107", null, null),
                new Expected(actions, 4723, 1, "password.changed", "iam", "failure", "changed", "jdoe", "jdoe", CORP + "1107", null, null),
                new Expected(actions, 4724, 0, "password.changed", "iam", "success", "reset", "a.nowak", "t.berger", CORP + "1311", null, null),
                new Expected(actions, 4725, 0, "account.disabled", "iam", "success", null, "a.nowak", "t.berger", CORP + "1311", null, null),
                new Expected(actions, 4726, 0, "account.deleted", "iam", "success", null, "a.nowak", "t.berger", CORP + "1311", null, null),
                new Expected(accounts, 4738, 0, "account.modified", "iam", "success", null, "m.okafor", "svc-scanner", LAB + "1131", null, null),
                new Expected(security, 4740, 0, "account.locked", "iam", "success", null, "DC01$", "jdoe", WS_FIN + "1107", null, null),
                new Expected(actions, 4767, 0, "account.unlocked", "iam", "success", null, "a.nowak", "jdoe", CORP + "1107", null, null),
                new Expected(actions, 4727, 0, "group.created", "iam", "success", null, "a.nowak", null, null, "Deploy Operators", null),
                new Expected(actions, 4731, 0, "group.created", "iam", "success", null, "a.nowak", null, null, "Backup Readers", null),
                new Expected(actions, 4754, 0, "group.created", "iam", "success", null, "a.nowak", null, null, "Cloud Admins", null),
                new Expected(actions, 4730, 0, "group.deleted", "iam", "success", null, "a.nowak", null, null, "Deploy Operators", null),
                new Expected(actions, 4734, 0, "group.deleted", "iam", "success", null, "a.nowak", null, null, "Backup Readers", null),
                new Expected(actions, 4758, 0, "group.deleted", "iam", "success", null, "a.nowak", null, null, "Cloud Admins", null),
                new Expected(security, 4728, 0, "group.member_added", "iam", "success", null, "Administrator", "Backup Admin", WS_FIN + "1131", "Domain Admins", null),
                new Expected(security, 4732, 0, "group.member_added", "iam", "success", null, "Administrator", null, WS_FIN + "1131", "Administrators", null),
                new Expected(actions, 4756, 0, "group.member_added", "iam", "success", null, "a.nowak", "Nowak, Anna", CORP + "1205", "Cloud Admins", null),
                new Expected(actions, 4729, 0, "group.member_removed", "iam", "success", null, "a.nowak", "Thomas Berger", CORP + "1311", "VPN Users", null),
                new Expected(actions, 4733, 0, "group.member_removed", "iam", "success", null, "a.nowak", null, CORP + "1107", "Administrators", null),
                new Expected(actions, 4757, 0, "group.member_removed", "iam", "success", null, "a.nowak", "Nowak, Anna", CORP + "1205", "Cloud Admins", null),
                new Expected(actions, 1102, 0, "log.cleared", "configuration", "success", null, "a.nowak", null, null, null, null),
                new Expected(actions, 104, 0, "log.cleared", "configuration", "success", null, "a.nowak", null, null, null, null),
                new Expected(Corpus.SYSTEM, 7045, 0, "service.installed", "configuration", "success", null, null, "LocalSystem", null, null, "Remote Support Helper"),
                new Expected(actions, 4697, 0, "service.installed", "configuration", "success", null, "a.nowak", "LocalSystem", null, null, "PSEXESVC"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMappedId")
    void eachEventIdMapsToItsActionSubjectAndObject(Expected expected)
            throws Exception
    {
        Event event = fixtureEvent(expected.file(), expected.id(), expected.occurrence());
        assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo(expected.action());
        assertThat(event.field(Fields.EVENT_CATEGORY)).isEqualTo(expected.category());
        assertThat(event.field(Fields.EVENT_OUTCOME)).isEqualTo(expected.outcome());
        assertThat(event.field(Fields.EVENT_REASON)).isEqualTo(expected.reason());
        assertThat(event.field(Fields.USER_NAME)).isEqualTo(expected.user());
        assertThat(event.field(Fields.USER_TARGET_NAME)).isEqualTo(expected.target());
        assertThat(event.field(Fields.USER_TARGET_ID)).isEqualTo(expected.targetId());
        assertThat(event.field(Fields.GROUP_NAME)).isEqualTo(expected.group());
        assertThat(event.field(Fields.SERVICE_NAME)).isEqualTo(expected.service());
    }

    @Test
    void theTableCoversEveryIdOfTheVocabulary()
    {
        assertThat(everyMappedId().stream().map(Expected::id).distinct().sorted().toList()).containsExactly(
                104, 1102, 4648, 4672, 4688, 4697, 4698, 4699, 4700, 4701, 4702, 4720, 4722, 4723, 4724, 4725, 4726, 4727, 4728, 4729,
                4730, 4731, 4732, 4733, 4734, 4738, 4740, 4754, 4756, 4757, 4758, 4767, 7045);
        assertThat(everyMappedId().stream().map(Expected::action).distinct().toList()).containsExactlyInAnyOrder(
                SecurityActions.EXPLICIT_CREDENTIALS, SecurityActions.ACCOUNT_CREATED, SecurityActions.ACCOUNT_DELETED, SecurityActions.ACCOUNT_DISABLED,
                SecurityActions.ACCOUNT_ENABLED, SecurityActions.ACCOUNT_LOCKED, SecurityActions.ACCOUNT_MODIFIED, SecurityActions.ACCOUNT_UNLOCKED,
                SecurityActions.GROUP_CREATED, SecurityActions.GROUP_DELETED, SecurityActions.GROUP_MEMBER_ADDED, SecurityActions.GROUP_MEMBER_REMOVED,
                SecurityActions.LOG_CLEARED, SecurityActions.PASSWORD_CHANGED, SecurityActions.PRIVILEGE_USE, SecurityActions.PROCESS_STARTED,
                SecurityActions.SERVICE_INSTALLED, SecurityActions.TASK_CHANGED);
    }

    @Test
    void readmeTableNamesEveryIdWithItsActionAndReason()
            throws IOException
    {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Security events"), readme.indexOf("## Default event ids"));
        List<String> rows = section.lines().filter(line -> line.startsWith("| ")).toList();
        for (Expected expected : everyMappedId()) {
            List<String> documented = rows.stream().filter(row -> documentedIds(row).contains(expected.id())).toList();
            assertThat(documented).as("README row for %d", expected.id()).hasSize(1);
            assertThat(documented.get(0)).contains("| `" + expected.action() + "` | `" + expected.category() + "` |");
            if (expected.reason() != null) {
                assertThat(documented.get(0)).contains("`" + expected.reason() + "`");
            }
        }
    }

    @Test
    void everyClassifiedIdIsReadByDefaultFromItsChannel()
    {
        for (Expected expected : everyMappedId()) {
            String xml = Corpus.events(expected.file()).stream().filter(text -> Corpus.eventId(text) == expected.id()).findFirst().orElseThrow();
            String channel = Corpus.channel(xml);
            assertThat(DefaultEventIds.forChannel(channel)).as("default ids of %s", channel)
                    .extracting(DefaultEventIds.KnownEvent::id)
                    .contains(expected.id());
        }
    }

    @Test
    void explicitCredentialsNameTheAccountUsedTheServerTheAddressAndTheProcess()
            throws Exception
    {
        Event event = fixtureEvent(Corpus.SECURITY_ACTIONS, 4648, 0);
        assertThat(event.field(Fields.USER_DOMAIN)).isEqualTo("CORP");
        assertThat(event.field(Fields.USER_ID)).isEqualTo(CORP + "1107");
        assertThat(event.field(EventXmlMapper.LOGON_ID)).isEqualTo("0x4f2a31");
        assertThat(event.field(EventXmlMapper.USER_TARGET_DOMAIN)).isEqualTo("CORP");
        assertThat(event.field(Fields.USER_TARGET_ID)).isNull();
        assertThat(event.field(EventXmlMapper.DESTINATION_DOMAIN)).isEqualTo("build-01.corp.example");
        assertThat(event.field(Fields.SOURCE_IP)).isEqualTo("192.0.2.41");
        assertThat(event.field(Fields.SOURCE_PORT)).isEqualTo(445);
        assertThat(event.field(EventXmlMapper.PROCESS_EXECUTABLE)).isEqualTo("C:\\Windows\\System32\\net.exe");
        assertThat(event.message()).isEqualTo("A logon was attempted using explicit credentials (event 4648)");
    }

    @Test
    void processCreationCarriesTheExecutableTheCommandLineAndTheParent()
            throws Exception
    {
        Event event = fixtureEvent(Corpus.SECURITY, 4688, 0);
        assertThat(event.field(Fields.USER_DOMAIN)).isEqualTo("CORP");
        assertThat(event.field(Fields.USER_ID)).isEqualTo(WS_FIN + "1107");
        assertThat(event.field(EventXmlMapper.PROCESS_EXECUTABLE)).isEqualTo("C:\\Windows\\System32\\cmd.exe");
        assertThat(event.field(Fields.PROCESS_COMMAND_LINE))
                .isEqualTo("cmd.exe /c \"copy C:\\Users\\jdoe\\Documents\\rapport-été.xlsx \\\\files\\share$ && echo <done>\"");
        assertThat(event.field(EventXmlMapper.PROCESS_PARENT_EXECUTABLE)).isEqualTo("C:\\Windows\\explorer.exe");
        // The process ran as its creator: Windows writes the NULL SID and "-" for the target account.
        assertThat(event.field(EventXmlMapper.USER_TARGET_DOMAIN)).isNull();
        // process.name and process.pid stay the logging process's, as for every other source.
        assertThat(event.field(Fields.PROCESS_NAME)).isNull();
        assertThat(event.field(Fields.PROCESS_PID)).isNull();
    }

    @Test
    void processStartedAsAnotherAccountNamesItAsTarget()
            throws Exception
    {
        String xml = securityEvent(4688, "<Data Name='SubjectUserSid'>S-1-5-18</Data><Data Name='SubjectUserName'>FS-02$</Data>"
                + "<Data Name='SubjectDomainName'>CORP</Data><Data Name='SubjectLogonId'>0x3e7</Data>"
                + "<Data Name='NewProcessName'>C:\\Windows\\System32\\whoami.exe</Data><Data Name='CommandLine'></Data>"
                + "<Data Name='TargetUserSid'>" + CORP + "1107</Data><Data Name='TargetUserName'>jdoe</Data>"
                + "<Data Name='TargetDomainName'>CORP</Data>");
        Event event = mapper.map(xml, Optional.empty(), READ_TIME);
        assertThat(event.field(Fields.USER_NAME)).isEqualTo("FS-02$");
        assertThat(event.field(Fields.USER_ID)).isEqualTo("S-1-5-18");
        assertThat(event.field(Fields.USER_TARGET_NAME)).isEqualTo("jdoe");
        assertThat(event.field(Fields.USER_TARGET_ID)).isEqualTo(CORP + "1107");
        assertThat(event.field(EventXmlMapper.USER_TARGET_DOMAIN)).isEqualTo("CORP");
        // Command line auditing off: the field is empty and left out.
        assertThat(event.field(Fields.PROCESS_COMMAND_LINE)).isNull();
    }

    @Test
    void installedServicesCarryTheirBinaryTheInstallerAndTheAccountTheyRunAs()
            throws Exception
    {
        Event system = fixtureEvent(Corpus.SYSTEM, 7045, 0);
        assertThat(system.field(Fields.PROCESS_COMMAND_LINE)).isEqualTo("\"C:\\Program Files\\Remote Support\\rshelper.exe\" --service --port 5938");
        assertThat(system.field(Fields.USER_ID)).isEqualTo(WS_FIN + "500");
        assertThat(system.field("winlog.event_data.StartType")).isEqualTo("auto start");

        Event security = fixtureEvent(Corpus.SECURITY_ACTIONS, 4697, 0);
        assertThat(security.field(Fields.PROCESS_COMMAND_LINE)).isEqualTo("%SystemRoot%\\PSEXESVC.exe -accepteula");
        assertThat(security.field(Fields.USER_ID)).isEqualTo(CORP + "1205");
        assertThat(security.field(Fields.USER_DOMAIN)).isEqualTo("CORP");
        assertThat(security.field(EventXmlMapper.LOGON_ID)).isEqualTo("0x9c1e04");
    }

    @Test
    void specialPrivilegesAreListedByName()
            throws Exception
    {
        Event event = fixtureEvent(Corpus.SECURITY, 4672, 0);
        assertThat(event.field(EventXmlMapper.PRIVILEGES)).isEqualTo(List.of("SeSecurityPrivilege", "SeBackupPrivilege", "SeRestorePrivilege", "SeDebugPrivilege"));
        assertThat(event.field("winlog.event_data.PrivilegeList")).isEqualTo("SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\tSeDebugPrivilege");
        assertThat(event.field(Fields.USER_ID)).isEqualTo(WS_FIN + "1107");
        assertThat(event.field(EventXmlMapper.LOGON_ID)).isEqualTo("0x4f2a31");
        assertThat(SecurityEventMapping.privileges("-")).isEmpty();
        assertThat(SecurityEventMapping.privileges(null)).isEmpty();
    }

    @Test
    void aLockoutNamesTheComputerTheFailedLogonsCameFrom()
            throws Exception
    {
        Event event = fixtureEvent(Corpus.SECURITY, 4740, 0);
        assertThat(event.field(Fields.SOURCE_DOMAIN)).isEqualTo("WS-FIN-07");
        assertThat(event.field(EventXmlMapper.USER_TARGET_DOMAIN)).isNull();
        assertThat(event.field(Fields.USER_ID)).isEqualTo("S-1-5-18");
    }

    @Test
    void groupEventsCarryTheGroupsDomainAndSid()
            throws Exception
    {
        Event local = fixtureEvent(Corpus.SECURITY, 4732, 0);
        assertThat(local.field(EventXmlMapper.GROUP_DOMAIN)).isEqualTo("Builtin");
        assertThat(local.field(EventXmlMapper.GROUP_ID)).isEqualTo("S-1-5-32-544");
        // The group is not the target account, whatever the data calls it.
        assertThat(local.field(EventXmlMapper.USER_TARGET_DOMAIN)).isNull();
        assertThat(local.field("winlog.event_data.TargetUserName")).isEqualTo("Administrators");
        Event created = fixtureEvent(Corpus.SECURITY_ACTIONS, 4731, 0);
        assertThat(created.field(EventXmlMapper.GROUP_DOMAIN)).isEqualTo("FS-02");
        assertThat(created.field(EventXmlMapper.GROUP_ID)).isEqualTo("S-1-5-21-1588227432-2907617513-3012958761-1009");
    }

    @Test
    void memberNamesAreTakenFromTheirDistinguishedNames()
    {
        assertThat(SecurityEventMapping.memberName("CN=Backup Admin,OU=Staff,DC=corp,DC=example")).isEqualTo("Backup Admin");
        assertThat(SecurityEventMapping.memberName("CN=Nowak\\, Anna,OU=Admins,DC=corp,DC=example")).isEqualTo("Nowak, Anna");
        assertThat(SecurityEventMapping.memberName("cn=svc-scanner")).isEqualTo("svc-scanner");
        assertThat(SecurityEventMapping.memberName("CORP\\jdoe")).isEqualTo("CORP\\jdoe");
        assertThat(SecurityEventMapping.memberName("CN=,OU=Staff")).isEqualTo("CN=,OU=Staff");
        assertThat(SecurityEventMapping.memberName(null)).isNull();
    }

    @Test
    void clearedLogsNameWhoClearedThem()
            throws Exception
    {
        Event system = fixtureEvent(Corpus.SECURITY_ACTIONS, 104, 0);
        assertThat(system.field(Fields.USER_DOMAIN)).isEqualTo("CORP");
        // 104 names no SID in its data: the event's own security user id is the one who cleared the log.
        assertThat(system.field(Fields.USER_ID)).isEqualTo(CORP + "1205");
        assertThat(system.field("winlog.user_data.Channel")).isEqualTo("Windows PowerShell");
        assertThat(system.message()).isEqualTo("An event log was cleared (event 104)");

        Event security = fixtureEvent(Corpus.SECURITY_ACTIONS, 1102, 0);
        assertThat(security.field(Fields.USER_DOMAIN)).isEqualTo("CORP");
        assertThat(security.field(Fields.USER_ID)).isEqualTo(CORP + "1205");
        assertThat(security.field(EventXmlMapper.LOGON_ID)).isEqualTo("0x9c1e04");
        assertThat(security.message()).isEqualTo("The audit log was cleared (event 1102)");
    }

    @Test
    void theSameIdFromAnotherSourceIsNotClassified()
            throws Exception
    {
        // Event ids are per provider: 104, 7045 and 4720 of other providers mean something else entirely.
        String whea = "<Event><System><Provider Name='Microsoft-Windows-WHEA-Logger'/><EventID>104</EventID><Channel>System</Channel>"
                + "<Computer>fs-02</Computer></System><EventData><Data Name='SubjectUserName'>a.nowak</Data></EventData></Event>";
        String otherService = "<Event><System><Provider Name='Vendor Updater'/><EventID>7045</EventID><Channel>Application</Channel>"
                + "<Computer>fs-02</Computer></System><EventData><Data Name='ServiceName'>x</Data></EventData></Event>";
        String application = "<Event><System><Provider Name='MsiInstaller'/><EventID>4720</EventID><Channel>Application</Channel>"
                + "<Computer>fs-02</Computer></System><EventData><Data Name='TargetUserName'>x</Data></EventData></Event>";
        for (String xml : List.of(whea, otherService, application)) {
            Event event = mapper.map(xml, Optional.empty(), READ_TIME);
            assertThat(event.field(Fields.EVENT_ACTION)).as(xml).isNull();
            assertThat(event.field(Fields.EVENT_CATEGORY)).as(xml).isNull();
            assertThat(event.field(Fields.USER_NAME)).as(xml).isNull();
            assertThat(event.field(Fields.USER_TARGET_NAME)).as(xml).isNull();
            assertThat(event.field(Fields.SERVICE_NAME)).as(xml).isNull();
        }
    }

    @Test
    void logonsAreAuthenticationEvents()
            throws Exception
    {
        for (String xml : Corpus.events(Corpus.SECURITY)) {
            Event event = mapper.map(xml, Optional.empty(), READ_TIME);
            String action = event.fieldAsString(Fields.EVENT_ACTION);
            if (action != null && action.startsWith("auth.")) {
                assertThat(event.field(Fields.EVENT_CATEGORY)).isEqualTo("authentication");
            }
        }
    }

    @Test
    void everyClassifiedFixtureEventNamesWhoActedAndWhatOn()
            throws Exception
    {
        List<Path> files = Corpus.FIXTURE_FILES.stream().map(Corpus::fixture).toList();
        Map<String, Integer> counts = assertEveryClassifiedEventIsComplete(files);
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("auth.login_success", 4), Map.entry("auth.login_failed", 3), Map.entry("auth.logout", 2),
                Map.entry("auth.explicit_credentials", 1), Map.entry("privilege.use", 1), Map.entry("process.started", 1),
                Map.entry("task.changed", 5), Map.entry("account.created", 2), Map.entry("account.enabled", 1), Map.entry("account.modified", 1),
                Map.entry("password.changed", 3), Map.entry("account.disabled", 1), Map.entry("account.deleted", 1), Map.entry("account.locked", 1),
                Map.entry("account.unlocked", 1), Map.entry("group.created", 3), Map.entry("group.deleted", 3), Map.entry("group.member_added", 5),
                Map.entry("group.member_removed", 3), Map.entry("log.cleared", 2), Map.entry("service.installed", 2)));
    }

    @Test
    void everyClassifiedSharedCorpusEventNamesWhoActedAndWhatOn()
            throws Exception
    {
        List<Path> files = Corpus.SHARED_FILES.stream().map(SharedCorpus::winevent).toList();
        Map<String, Integer> counts = assertEveryClassifiedEventIsComplete(files);
        // Counted from the corpus's own event ids: security.xml, new-user-security.xml, system.xml, Security_short_selected.xml.
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("auth.login_success", 583), Map.entry("auth.login_failed", 1), Map.entry("auth.logout", 11 + 36),
                Map.entry("auth.explicit_credentials", 45), Map.entry("privilege.use", 459),
                Map.entry("account.created", 2 + 1), Map.entry("account.enabled", 2), Map.entry("account.modified", 10),
                Map.entry("password.changed", 1 + 1), Map.entry("group.created", 7), Map.entry("group.member_added", 2 + 6 + 1 + 2),
                Map.entry("group.member_removed", 1), Map.entry("log.cleared", 2), Map.entry("service.installed", 57)));
    }

    /**
     * Maps every event of the files (none may fail) and checks what each classified one must carry: who acted,
     * and the account, group or service acted on. Returns the number of events per action.
     */
    private Map<String, Integer> assertEveryClassifiedEventIsComplete(List<Path> files)
            throws EventXmlException
    {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> incomplete = new ArrayList<>();
        for (Path file : files) {
            for (String xml : Corpus.events(file)) {
                Event event = mapper.map(xml, Optional.empty(), READ_TIME);
                String action = event.fieldAsString(Fields.EVENT_ACTION);
                if (action == null) {
                    continue;
                }
                counts.merge(action, 1, Integer::sum);
                String where = file.getFileName() + " record " + Corpus.recordId(xml) + " (" + Corpus.eventId(xml) + ", " + action + ")";
                if (event.field(Fields.EVENT_CATEGORY) == null || event.field(Fields.EVENT_OUTCOME) == null) {
                    incomplete.add(where + ": no category or outcome");
                }
                if (!action.startsWith("auth.") && event.field(Fields.USER_NAME) == null && event.field(Fields.USER_ID) == null) {
                    incomplete.add(where + ": nobody acted");
                }
                boolean needsTarget = action.startsWith("account.") || action.equals(SecurityActions.PASSWORD_CHANGED)
                        || action.equals(SecurityActions.GROUP_MEMBER_ADDED) || action.equals(SecurityActions.GROUP_MEMBER_REMOVED);
                if (needsTarget && event.field(Fields.USER_TARGET_NAME) == null && event.field(Fields.USER_TARGET_ID) == null) {
                    incomplete.add(where + ": no target account");
                }
                if (action.startsWith("group.") && event.field(Fields.GROUP_NAME) == null) {
                    incomplete.add(where + ": no group");
                }
                if (action.equals(SecurityActions.SERVICE_INSTALLED) && (event.field(Fields.SERVICE_NAME) == null || event.field(Fields.PROCESS_COMMAND_LINE) == null)) {
                    incomplete.add(where + ": no service name or binary");
                }
            }
        }
        assertThat(incomplete).isEmpty();
        return counts;
    }

    /** The ids in a table row's first cell: {@code | 1102 (Security), 104 (System) | ...} is 1102 and 104. */
    private static List<Integer> documentedIds(String row)
    {
        String firstCell = row.split("\\|")[1];
        return Pattern.compile("\\d+").matcher(firstCell).results().map(match -> Integer.parseInt(match.group())).toList();
    }

    private Event fixtureEvent(String file, int id, int occurrence)
            throws EventXmlException
    {
        List<String> events = Corpus.events(file).stream().filter(xml -> Corpus.eventId(xml) == id).toList();
        assertThat(events).as("events %d in %s", id, file).hasSizeGreaterThan(occurrence);
        return mapper.map(events.get(occurrence), Optional.empty(), READ_TIME);
    }

    private static String securityEvent(int id, String eventData)
    {
        return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/>"
                + "<EventID>" + id + "</EventID><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2025-06-18T10:00:00Z'/>"
                + "<EventRecordID>1</EventRecordID><Channel>Security</Channel><Computer>FS-02.corp.example</Computer></System>"
                + "<EventData>" + eventData + "</EventData></Event>";
    }
}
