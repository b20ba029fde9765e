package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import io.outrider.spi.SecurityActions;
import io.outrider.support.net.Addresses;
import io.outrider.support.syslog.ClassicTimestamps;
import io.outrider.support.syslog.RepeatedMessage;
import io.outrider.support.syslog.SyslogHeader;
import io.outrider.support.syslog.SyslogPrefixParser;
import io.outrider.support.syslog.SyslogPrefixParser.ProgramFilter;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Turns the security lines of a Linux host other than sshd's own into events of the shared vocabulary
 * ({@link SecurityActions}): sudo ({@link SudoLines}), su and runuser ({@link SuLines}), PAM in any program
 * ({@link PamLines}) and shadow-utils' account and group changes ({@link ShadowLines}).
 *
 * <p>Accepts the same two shapes of event as the sshd parser: a raw syslog line in the message (Debian and RHEL
 * files, RFC 3339 and RFC 5424 prefixes, BusyBox's {@code facility.level}), or the bare text with the program in
 * {@code process.name} (journald, or an earlier parser). Lines it does not know are returned unmatched and
 * unchanged, so the pipeline's {@code unmatched} policy applies. So are events an earlier parser classified
 * ({@code event.action} set), and the PAM authentication failures and sessions of events it claimed without
 * classifying ({@code event.module} set): the sshd parser decides which of sshd's PAM lines are logins and logouts.
 * Lockouts, expired accounts and password changes in such events are still classified.
 */
public final class LinuxAuthParser
        implements Parser
{
    static final String MODULE = "linux_auth";
    /** ECS: the real user id of the process (PAM's {@code by NAME(uid=N)}). */
    static final String PROCESS_REAL_USER_ID = "process.real_user.id";


    private final int maxFieldLength;
    private final int maxMessageLength;
    private final int maxRepeatEvents;
    private final boolean keepOriginal;
    private final SyslogPrefixParser prefixParser;

    // shadow's su writes "Successful su" and then "+ pts/0 alice:root" for one su: the second must not count again
    private String lastShadowSu;

    public LinuxAuthParser(LinuxAuthParserConfig config, ZoneId zone)
    {
        requireNonNull(config, "config is null");
        requireNonNull(zone, "zone is null");
        this.maxFieldLength = config.maxFieldLength();
        this.maxMessageLength = config.maxMessageLength();
        this.maxRepeatEvents = config.maxRepeatEvents();
        this.keepOriginal = config.keepOriginal();
        this.prefixParser = new SyslogPrefixParser(new ClassicTimestamps(config.year(), zone), ProgramFilter.ANY);
    }

    @Override
    public ParseResult parse(Event event)
    {
        if (event.field(Fields.EVENT_ACTION) != null) {
            // an earlier parser classified it (the sshd parser and its own PAM lines): one line, one event
            return ParseResult.unmatched();
        }
        Object module = event.field(Fields.EVENT_MODULE);
        boolean claimed = module != null && !MODULE.equals(module);
        String message = event.message();
        Object programField = event.field(Fields.PROCESS_NAME);
        SyslogHeader header;
        if (programField != null) {
            if (!(programField instanceof String)) {
                return ParseResult.unmatched();
            }
            header = SyslogHeader.withoutPrefix((String) programField, event.field(Fields.PROCESS_PID));
        }
        else {
            header = prefixParser.parse(message, event.timestamp().getEpochSecond());
            if (header == null) {
                return ParseResult.unmatched();
            }
        }
        if (!mayBeKnown(header.program(), message, header.messageStart())) {
            // most lines of a mixed log (kernel, systemd, daemons) end here, before any copy of their text
            return ParseResult.unmatched();
        }
        String afterPrefix = header.messageStart() == 0 ? message : message.substring(header.messageStart());
        RepeatedMessage repeat = RepeatedMessage.parse(afterPrefix);
        long repeated = repeat == null ? 1 : repeat.count();
        String text = repeat == null ? afterPrefix : repeat.text();
        if (text.length() > maxMessageLength) {
            return ParseResult.unmatched();
        }
        String host = header.host() != null ? header.host() : event.fieldAsString(Fields.HOST_NAME);
        AuthLine line = classify(header, host, text);
        if (line == null || (claimed && isLoginOrSession(line))) {
            return ParseResult.unmatched();
        }
        return RepeatedMessage.toEvents(repeated, line.count(), maxRepeatEvents, count -> toEvent(event, header, text, line, count));
    }

    /** Whether a line of {@code program} whose text starts at {@code start} may be one {@link #classify} knows. */
    private static boolean mayBeKnown(String program, String message, int start)
    {
        return message.startsWith("pam_", start) || message.startsWith("PAM ", start) || message.startsWith(RepeatedMessage.PREFIX, start)
                || program.equals("sudo") || program.equals("su") || program.equals("runuser") || program.equals("pkexec")
                || program.endsWith(PamLines.LEGACY_PROGRAM_SUFFIX) || ShadowLines.PROGRAMS.contains(program);
    }

    /** Which family the line belongs to, by its program first (cheap), then by its text. */
    private AuthLine classify(SyslogHeader header, String host, String text)
    {
        String program = header.program();
        if (PamLines.mayBePam(text)) {
            return PamLines.classify(text, program);
        }
        if (program.endsWith(PamLines.LEGACY_PROGRAM_SUFFIX)) {
            return PamLines.classifyLegacy(program.substring(0, program.length() - PamLines.LEGACY_PROGRAM_SUFFIX.length()), text);
        }
        switch (program) {
            case "sudo":
                return SudoLines.classify(text);
            case "pkexec":
                return PkexecLines.classify(text);
            case "su":
            case "runuser": {
                String process = header.pid() < 0 ? null : host + "[" + header.pid() + "]";
                if (SuLines.isShadowSuLine(text)) {
                    lastShadowSu = process;
                }
                boolean counted = !SuLines.isSulogLine(text) || process == null || !process.equals(lastShadowSu);
                return SuLines.classify(text, counted);
            }
            default:
                return ShadowLines.PROGRAMS.contains(program) ? ShadowLines.classify(text) : null;
        }
    }

    private Event toEvent(Event event, SyslogHeader header, String text, AuthLine line, long count)
    {
        Event.Builder builder = event.toBuilder().message(text);
        if (header.hasTimestamp()) {
            builder.timestamp(Instant.ofEpochSecond(header.epochSecond(), header.nanos()));
        }
        if (keepOriginal && builder.field(Fields.EVENT_ORIGINAL) == null) {
            builder.field(Fields.EVENT_ORIGINAL, event.message());
        }
        builder.field(Fields.EVENT_MODULE, MODULE);
        builder.field(Fields.EVENT_DATASET, MODULE + "." + line.dataset());
        header.addTo(builder);
        builder.field(Fields.EVENT_CATEGORY, category(line.action()));
        builder.field(Fields.EVENT_ACTION, line.action());
        builder.field(Fields.EVENT_OUTCOME, outcome(line.action()));
        builder.field(Fields.EVENT_REASON, line.reason());
        putCapped(builder, Fields.USER_NAME, line.user());
        putCapped(builder, Fields.USER_ID, line.userId());
        putCapped(builder, PROCESS_REAL_USER_ID, line.realUserId());
        putCapped(builder, Fields.USER_TARGET_NAME, line.target());
        putCapped(builder, Fields.USER_TARGET_ID, line.targetId());
        putCapped(builder, Fields.GROUP_NAME, line.group());
        putCapped(builder, Fields.PROCESS_TTY, line.tty());
        putCapped(builder, Fields.SERVICE_NAME, line.service());
        if (line.workingDirectory() != null) {
            builder.field(Fields.PROCESS_WORKING_DIRECTORY, line.workingDirectory());
        }
        if (line.commandLine() != null) {
            builder.field(Fields.PROCESS_COMMAND_LINE, line.commandLine());
        }
        if (line.remoteHost() != null) {
            String ip = Addresses.normalizeIp(line.remoteHost());
            if (ip != null) {
                builder.field(Fields.SOURCE_IP, ip);
                builder.field(Fields.SOURCE_ADDRESS, ip);
            }
            else if (line.remoteHost().length() <= maxFieldLength && Addresses.isHostName(line.remoteHost())) {
                String domain = line.remoteHost().toLowerCase(Locale.ROOT);
                builder.field(Fields.SOURCE_DOMAIN, domain);
                builder.field(Fields.SOURCE_ADDRESS, domain);
            }
            // anything else (an X display such as ":0") is no network address
        }
        if (count > 1) {
            builder.field(Fields.EVENT_COUNT, count);
        }
        return builder.build();
    }

    private void putCapped(Event.Builder builder, String name, String value)
    {
        if (value != null) {
            builder.field(name, value.length() <= maxFieldLength ? value : value.substring(0, maxFieldLength));
        }
    }

    /**
     * Whether the line is a PAM authentication failure or session, which the parser that claimed the line (sshd,
     * with its session table) already decided to count or not; lockouts, expired accounts and password changes it
     * does not know, so they are still classified.
     */
    private static boolean isLoginOrSession(AuthLine line)
    {
        return line.action().equals(SecurityActions.SESSION_OPENED) || line.action().equals(SecurityActions.SESSION_CLOSED)
                || line.reason().equals("pam_auth_failure") || line.reason().equals("auth_failure");
    }

    static String category(String action)
    {
        if (action.startsWith("session.")) {
            return "session";
        }
        if (action.startsWith("account.") || action.startsWith("group.") || action.equals(SecurityActions.PASSWORD_CHANGED)) {
            return "iam";
        }
        return "authentication";
    }

    static String outcome(String action)
    {
        return action.equals(SecurityActions.LOGIN_FAILED) || action.equals(SecurityActions.PRIVILEGE_DENIED) ? Fields.OUTCOME_FAILURE : Fields.OUTCOME_SUCCESS;
    }

}
