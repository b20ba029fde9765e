package io.outrider.plugin.sshd;

import io.outrider.plugin.sshd.SessionTable.Key;
import io.outrider.plugin.sshd.SessionTable.Session;
import io.outrider.plugin.sshd.SshdLine.Kind;
import io.outrider.plugin.sshd.SshdParserConfig.OtherLines;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import io.outrider.support.net.Addresses;
import io.outrider.support.syslog.ClassicTimestamps;
import io.outrider.support.syslog.RepeatedMessage;
import io.outrider.support.syslog.SyslogHeader;
import io.outrider.support.syslog.SyslogPrefixParser;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.outrider.plugin.sshd.SshdFields.ACTION_LOGIN_FAILED;
import static io.outrider.plugin.sshd.SshdFields.ACTION_LOGIN_SUCCESS;
import static io.outrider.plugin.sshd.SshdFields.ACTION_LOGOUT;
import static io.outrider.plugin.sshd.SshdFields.ACTION_PREAUTH_DISCONNECT;
import static io.outrider.plugin.sshd.SshdFields.ACTION_SCAN;
import static java.util.Objects.requireNonNull;

/**
 * Turns OpenSSH's log lines into authentication events ({@code auth.login_failed}, {@code auth.login_success},
 * {@code auth.logout}, {@code auth.preauth_disconnect}, {@code auth.scan}) with the client address, port and user.
 *
 * <p>Accepts two shapes of event: a raw syslog line in the message (file inputs: classic, RFC 3339 and RFC 5424
 * prefixes), or sshd's bare text with the program in {@code process.name} and the PID in {@code process.pid}
 * (journald). Events that are neither sshd's are returned unmatched after a few character comparisons.
 *
 * <p>{@code event.reason} of a failure says which: {@code failed_METHOD} ({@code failed_password}...),
 * {@code invalid_user}, {@code policy_denied} (AllowUsers, DenyUsers, AllowGroups, DenyGroups; the directive in
 * {@code sshd.denied_by}), {@code account_locked}, {@code pam_auth_failure}, {@code pam_failure},
 * {@code client_auth_fail} (the client gave up: JSch's "Auth fail", disconnect code 14), {@code username_change},
 * {@code root_login_refused}, {@code refused_connect}. One failed attempt makes one {@code auth.login_failed}, though
 * sshd and PAM both report it ({@link #resolve}); {@code Too many authentication failures} ends a connection
 * ({@code auth.preauth_disconnect}, reason {@code too_many_auth_failures}). A line without the client's address (PAM,
 * {@code Too many authentication failures}, {@code Read from socket failed}) takes it from earlier lines of the same
 * sshd process.
 *
 * <p>A line that stands for N occurrences ({@code message repeated N times: [...]}, {@code PAM N more
 * authentication failures}) becomes N identical events, so that every consumer counting events counts right; at
 * most {@code max_repeat_events} of them, the last carrying the remainder in {@code event.count}.
 */
public final class SshdParser
        implements Parser
{
    private static final String REASON_POLICY_DENIED = "policy_denied";
    /** The refusals by sshd_config's AllowUsers, DenyUsers, AllowGroups, DenyGroups: the classifier's detail → directive. */
    private static final Map<String, String> POLICY_DIRECTIVES = Map.of(
            "not_listed_in_allow_users", "AllowUsers",
            "listed_in_deny_users", "DenyUsers",
            "no_group_listed_in_allow_groups", "AllowGroups",
            "group_listed_in_deny_groups", "DenyGroups",
            // the user's groups could not be read while AllowGroups or DenyGroups is set
            "not_in_any_group", "AllowGroups/DenyGroups");

    private final int maxFieldLength;
    private final int maxMessageLength;
    private final int maxRepeatEvents;
    private final OtherLines otherLines;
    private final boolean keepOriginal;
    private final SyslogPrefixParser prefixParser;
    private final SessionTable sessions;
    private final SshdClassifier classifier = new SshdClassifier();

    public SshdParser(SshdParserConfig config, ZoneId zone, ComponentMetrics metrics)
    {
        requireNonNull(config, "config is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(metrics, "metrics is null");
        this.maxFieldLength = config.maxFieldLength();
        this.maxMessageLength = config.maxMessageLength();
        this.maxRepeatEvents = config.maxRepeatEvents();
        this.otherLines = config.otherLines();
        this.keepOriginal = config.keepOriginal();
        this.prefixParser = new SyslogPrefixParser(new ClassicTimestamps(config.year(), zone), SshdPrograms::isSshdProgram);
        this.sessions = new SessionTable(config.sessionTableSize(),
                metrics.counter("sshd_session_evictions_total", "sshd processes forgotten because the session table was full"));
        metrics.gauge("sshd_sessions", "sshd processes remembered in the session table", sessions::size);
    }

    @Override
    public ParseResult parse(Event event)
    {
        String message = event.message();
        Object program = event.field(Fields.PROCESS_NAME);
        SyslogHeader header;
        String host;
        if (program != null) {
            // journald, or an earlier parser that split the syslog prefix off: the message is sshd's bare text
            if (!(program instanceof String) || !SshdPrograms.isSshdProgram((String) program)) {
                return ParseResult.unmatched();
            }
            header = SyslogHeader.withoutPrefix((String) program, event.field(Fields.PROCESS_PID));
            host = event.fieldAsString(Fields.HOST_NAME);
        }
        else {
            // the cheap pre-filter: most lines of a mixed log never get past this
            if (message.indexOf("sshd") < 0) {
                return ParseResult.unmatched();
            }
            header = prefixParser.parse(message, event.timestamp().getEpochSecond());
            if (header == null) {
                return ParseResult.unmatched();
            }
            host = header.host() != null ? header.host() : event.fieldAsString(Fields.HOST_NAME);
        }
        String afterPrefix = header.messageStart() == 0 ? message : message.substring(header.messageStart());
        RepeatedMessage repeat = RepeatedMessage.parse(afterPrefix);
        long repeated = repeat == null ? 1 : repeat.count();
        String text = repeat == null ? afterPrefix : repeat.text();

        SshdLine line = text.length() > maxMessageLength ? SshdLine.of(Kind.OTHER, false) : classifier.classify(text);
        Key key = header.pid() < 0 ? null : new Key(host == null ? "" : host, header.pid());
        Authentication authentication = resolve(line, key, repeated);
        if (authentication == null) {
            return otherLine(event, header, text, repeated);
        }
        return RepeatedMessage.toEvents(authentication.occurrences(), 1, maxRepeatEvents,
                count -> authenticationEvent(event, header, text, line, authentication, count));
    }

    /**
     * Applies the line ({@code repeated} times) to the session table and decides which authentication event it is,
     * or {@code null} when it is none (context, a duplicate of an event already reported for the session, or an
     * address that cannot be sshd's).
     *
     * <p>One failed attempt is one {@code auth.login_failed}: sshd reports each password attempt ({@code Failed
     * password}) and each failed PAM conversation ({@code PAM: Authentication failure}, whose {@code Failed
     * keyboard-interactive/pam} repeats it), while PAM's modules report the same attempts again (a first
     * {@code authentication failure}, then {@code PAM N more authentication failures}). So PAM's lines count only
     * where sshd's own do not reach the parser (a host whose sshd lines go elsewhere, as in old Red Hat layouts), and
     * PAM's summary adds what sshd did not report. {@code maximum authentication attempts exceeded} and
     * {@code Too many authentication failures} follow the attempt that reached the limit: the first is context, the
     * second ends the connection ({@code auth.preauth_disconnect}).
     */
    private Authentication resolve(SshdLine line, Key key, long repeated)
    {
        Kind kind = line.kind();
        if (kind == Kind.OTHER) {
            return null;
        }
        if (kind != Kind.PAM_MODULE_FAILURE && kind != Kind.PAM_SUMMARY && kind != Kind.SESSION_OPENED && kind != Kind.SESSION_CLOSED) {
            sessions.sshdLogsTo(key);
        }
        Address address = null;
        if (line.address() != null) {
            address = Address.of(line.address(), maxFieldLength);
            if (address == null) {
                // sshd writes a valid address or host name there; anything else is not sshd's line
                return null;
            }
        }
        Session session = sessions.get(key);
        if (session != null && address != null && address.ip() != null && session.ip != null && !session.ip.equals(address.ip())) {
            // a new connection served by a reused PID
            session = null;
        }
        switch (kind) {
            case FAILED:
            case PAM_AUTH_FAILURE:
            case PAM_MODULE_FAILURE:
            case PAM_SUMMARY:
                // which of sshd's and PAM's reports of an attempt counts: a method of its own
                return attempt(line, key, session, address, repeated);
            case INVALID_USER:
            case NOT_ALLOWED:
            case FAILURE:
            case ROOT_LOGIN_REFUSED: {
                session = observe(key, session, line, address);
                String reason = POLICY_DIRECTIVES.containsKey(line.detail()) ? REASON_POLICY_DENIED : line.detail();
                return new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, reason, session, repeated);
            }
            case MAX_AUTH_ATTEMPTS:
                // the attempt that reached MaxAuthTries was reported; "Too many authentication failures" ends the connection next
                observe(key, session, line, address);
                return null;
            case TOO_MANY_AUTH_FAILURES: {
                // "Disconnecting ...: Too many authentication failures": sshd ends the connection, so does the session
                // (kept, a generated million lines left 14,000 of them filling the table, about 5 MiB)
                session = observe(key, session, line, address);
                endConnection(key, session);
                return new Authentication(ACTION_PREAUTH_DISCONNECT, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
            }
            case REFUSED_CONNECT: {
                session = observe(key, session, line, address);
                sessions.remove(key);
                return new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
            }
            case ACCEPTED: {
                session = observe(key, session, line, address);
                session.loggedIn = true;
                session.loggedOut = false;
                return new Authentication(ACTION_LOGIN_SUCCESS, Fields.OUTCOME_SUCCESS, acceptedReason(line.method()), session, repeated);
            }
            case SESSION_OPENED: {
                boolean reported = session != null && session.loggedIn;
                session = observe(key, session, line, address);
                if (reported) {
                    return null;
                }
                session.loggedIn = true;
                return new Authentication(ACTION_LOGIN_SUCCESS, Fields.OUTCOME_SUCCESS, line.detail(), session, repeated);
            }
            case DISCONNECTED_USER:
                return disconnectedUser(line, key, session, address, repeated);
            case SESSION_CLOSED: {
                boolean reported = session != null && (session.loggedOut || session.loggedIn && sessions.loggedOutElsewhere(key, session));
                session = observe(key, session, line, address);
                sessions.remove(key);
                return reported ? null : new Authentication(ACTION_LOGOUT, Fields.OUTCOME_SUCCESS, line.detail(), session, repeated);
            }
            case PREAUTH_END: {
                String pendingProbe = session == null ? null : session.pendingProbe;
                session = observe(key, session, line, address);
                endConnection(key, session);
                if (session.user != null) {
                    return new Authentication(ACTION_PREAUTH_DISCONNECT, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
                }
                String reason = pendingProbe != null ? pendingProbe
                        : line.detail().equals("login_grace_time_exceeded") ? "timeout_before_auth"
                        : line.detail().equals("protocol_error") ? "protocol_error" : "closed_before_auth";
                return new Authentication(ACTION_SCAN, Fields.OUTCOME_FAILURE, reason, session, repeated);
            }
            case CONNECTION_END: {
                String pendingProbe = session == null ? null : session.pendingProbe;
                session = observe(key, session, line, address);
                sessions.remove(key);
                return pendingProbe == null ? null : new Authentication(ACTION_SCAN, Fields.OUTCOME_FAILURE, pendingProbe, session, repeated);
            }
            case PROBE: {
                session = observe(key, session, line, address);
                sessions.remove(key);
                return new Authentication(ACTION_SCAN, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
            }
            case PROBE_WITHOUT_ADDRESS: {
                if (session != null && (session.ip != null || session.domain != null)) {
                    // LogLevel VERBOSE logged "Connection from ..." first
                    sessions.remove(key);
                    return new Authentication(ACTION_SCAN, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
                }
                session = observe(key, session, line, null);
                if (session.pendingProbe == null) {
                    // the address comes with the "Connection closed by ADDR port N" that follows
                    session.pendingProbe = line.detail();
                }
                return null;
            }
            case CONTEXT:
                observe(key, session, line, address);
                return null;
            default:
                return null;
        }
    }

    /** A failed attempt as sshd or PAM reports it: see {@link #resolve} for which report counts. */
    private Authentication attempt(SshdLine line, Key key, Session session, Address address, long repeated)
    {
        switch (line.kind()) {
            case FAILED: {
                session = observe(key, session, line, address);
                long attempts = repeated;
                if (isPamMethod(line.method())) {
                    if (line.method().startsWith("keyboard-interactive")) {
                        // "PAM: Authentication failure" reported these attempts already
                        long reported = Math.min(attempts, session.pamErrorsAwaitingFailedLine);
                        session.pamErrorsAwaitingFailedLine -= reported;
                        attempts -= reported;
                    }
                    session.passwordFailures += attempts;
                }
                return attempts == 0 ? null : new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, failedReason(line.method()), session, attempts);
            }
            case PAM_AUTH_FAILURE: {
                session = observe(key, session, line, address);
                session.passwordFailures += repeated;
                session.pamErrorsAwaitingFailedLine += repeated;
                return new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
            }
            case PAM_MODULE_FAILURE: {
                boolean sshdReports = sessions.sshdLogs(key);
                session = observe(key, session, line, address);
                session.pamFailures += repeated;
                return sshdReports ? null : new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, line.detail(), session, repeated);
            }
            case PAM_SUMMARY: {
                boolean sshdReports = sessions.sshdLogs(key);
                session = observe(key, session, line, address);
                // both at most nine digits, so the product fits
                long more = repeated * line.count();
                session.pamFailures += more;
                long unreported = sshdReports ? Math.max(0, session.pamFailures - session.passwordFailures) : more;
                // PAM sums up when the connection ends
                sessions.remove(key);
                return unreported == 0 ? null : new Authentication(ACTION_LOGIN_FAILED, Fields.OUTCOME_FAILURE, line.detail(), session, unreported);
            }
            default:
                throw new IllegalArgumentException("not an attempt: " + line.kind());
        }
    }

    /** The end of a logged-in session: one logout, whichever process writes it. */
    private Authentication disconnectedUser(SshdLine line, Key key, Session session, Address address, long repeated)
    {
        // the user's own process, known by an earlier line of it ("Received disconnect"), not the one that logged the
        // user in, whose "session closed" follows: that must not count a second logout
        boolean userProcess = session != null && !session.loggedIn;
        if ((session == null || userProcess) && address != null) {
            sessions.loggedOutElsewhere(key, address.ip(), line.port());
        }
        boolean reported = session != null && session.loggedOut;
        session = observe(key, session, line, address);
        if (reported) {
            return null;
        }
        // kept until PAM's "session closed" of this process, if one comes, which must not count a second logout
        session.loggedOut = true;
        return new Authentication(ACTION_LOGOUT, Fields.OUTCOME_SUCCESS, line.detail(), session, repeated);
    }

    /**
     * Forgets the session of a connection that ended, unless PAM counted more than one of its failures: PAM's summary
     * of them comes after the end, and needs the counts (it forgets the session then).
     */
    private void endConnection(Key key, Session session)
    {
        if (session.pamFailures == 0 || session.passwordFailures < 2) {
            sessions.remove(key);
        }
    }

    /** Merges what the line says into the process's session (creating it), and returns the session. */
    private Session observe(Key key, Session current, SshdLine line, Address address)
    {
        Session session = current != null ? current : sessions.create(key);
        if (address != null) {
            if (address.ip() != null) {
                session.ip = address.ip();
            }
            else {
                session.domain = address.domain();
            }
        }
        if (line.port() != SshdLine.NO_PORT) {
            session.port = line.port();
        }
        if (line.user() != null) {
            session.user = cap(line.user());
        }
        if (line.invalidUser() != null) {
            session.invalidUser = line.invalidUser();
        }
        return session;
    }

    private Event authenticationEvent(Event event, SyslogHeader header, String text, SshdLine line, Authentication authentication, long count)
    {
        Session session = authentication.session();
        Event.Builder builder = base(event, header, text);
        builder.field(Fields.EVENT_CATEGORY, authentication.action().equals(ACTION_SCAN) ? SshdFields.CATEGORY_NETWORK : SshdFields.CATEGORY_AUTHENTICATION);
        builder.field(Fields.EVENT_ACTION, authentication.action());
        builder.field(Fields.EVENT_OUTCOME, authentication.outcome());
        builder.field(Fields.EVENT_REASON, authentication.reason());
        if (session.ip != null) {
            builder.field(Fields.SOURCE_IP, session.ip);
        }
        if (line.address() != null) {
            builder.field(Fields.SOURCE_ADDRESS, cap(line.address()));
        }
        else if (session.ip != null || session.domain != null) {
            builder.field(Fields.SOURCE_ADDRESS, session.ip != null ? session.ip : session.domain);
        }
        if (session.domain != null) {
            builder.field(SshdFields.SOURCE_DOMAIN, session.domain);
        }
        if (session.port != SshdLine.NO_PORT) {
            builder.field(Fields.SOURCE_PORT, session.port);
        }
        if (session.user != null) {
            builder.field(Fields.USER_NAME, session.user);
        }
        if (session.invalidUser != null) {
            builder.field(SshdFields.INVALID_USER, session.invalidUser);
        }
        if (line.method() != null) {
            builder.field(SshdFields.AUTH_METHOD, cap(line.method()));
        }
        String directive = line.detail() == null ? null : POLICY_DIRECTIVES.get(line.detail());
        if (directive != null) {
            builder.field(SshdFields.DENIED_BY, directive);
        }
        if (line.keyType() != null) {
            builder.field(SshdFields.KEY_TYPE, cap(line.keyType()));
            builder.field(SshdFields.KEY_FINGERPRINT, cap(line.fingerprint()));
        }
        if (count > 1) {
            builder.field(Fields.EVENT_COUNT, count);
        }
        return builder.build();
    }

    private ParseResult otherLine(Event event, SyslogHeader header, String text, long repeated)
    {
        switch (otherLines) {
            case DROP:
                return ParseResult.matched(List.of());
            case UNMATCHED:
                return ParseResult.unmatched();
            default:
                Event.Builder builder = base(event, header, text);
                if (repeated > 1) {
                    builder.field(Fields.EVENT_COUNT, repeated);
                }
                return ParseResult.matched(builder.build());
        }
    }

    /** The incoming event with its fields, re-timed and re-worded from the line, plus the process fields. */
    private Event.Builder base(Event event, SyslogHeader header, String text)
    {
        Event.Builder builder = event.toBuilder().message(text);
        if (header.hasTimestamp()) {
            builder.timestamp(Instant.ofEpochSecond(header.epochSecond(), header.nanos()));
        }
        if (keepOriginal && builder.field(Fields.EVENT_ORIGINAL) == null) {
            builder.field(Fields.EVENT_ORIGINAL, event.message());
        }
        builder.field(Fields.EVENT_MODULE, SshdFields.MODULE);
        return header.addTo(builder);
    }

    private String cap(String value)
    {
        return value.length() <= maxFieldLength ? value : value.substring(0, maxFieldLength);
    }

    /**
     * {@code failed_} and the {@link #methodName}: sshd's own methods as constants, as the concatenation was a tenth
     * of the input thread's time.
     */
    private static String failedReason(String method)
    {
        return switch (method) {
            case "password" -> "failed_password";
            case "publickey" -> "failed_publickey";
            case "keyboard-interactive", "keyboard-interactive/pam" -> "failed_keyboard_interactive";
            case "none" -> "failed_none";
            case "hostbased" -> "failed_hostbased";
            case "gssapi-with-mic" -> "failed_gssapi_with_mic";
            default -> "failed_" + methodName(method);
        };
    }

    /** {@code accepted_} and the {@link #methodName}, as {@link #failedReason}. */
    private static String acceptedReason(String method)
    {
        return switch (method) {
            case "password" -> "accepted_password";
            case "publickey" -> "accepted_publickey";
            case "keyboard-interactive", "keyboard-interactive/pam" -> "accepted_keyboard_interactive";
            case "none" -> "accepted_none";
            case "hostbased" -> "accepted_hostbased";
            case "gssapi-with-mic" -> "accepted_gssapi_with_mic";
            default -> "accepted_" + methodName(method);
        };
    }

    /** {@code keyboard-interactive/pam} → {@code keyboard_interactive}: the method, without submethod, as a reason word. */
    private static String methodName(String method)
    {
        int slash = method.indexOf('/');
        return (slash < 0 ? method : method.substring(0, slash)).replace('-', '_');
    }


    /** Whether failures of the method go through PAM's auth modules, which report them again. */
    private static boolean isPamMethod(String method)
    {
        return method.equals("password") || method.startsWith("keyboard-interactive");
    }

    /**
     * The events a line makes: action, outcome and reason, with the session that supplies address and user; as many
     * as {@code occurrences} (a repeated line, attempts PAM's summary adds).
     */
    private record Authentication(String action, String outcome, String reason, Session session, long occurrences) {}

    /** A validated client address: an IP (normalized) or a host name. */
    private record Address(String ip, String domain)
    {
        static Address of(String text, int maxLength)
        {
            String ip = Addresses.normalizeIp(text);
            if (ip != null) {
                return new Address(ip, null);
            }
            if (text.length() <= maxLength && Addresses.isHostName(text)) {
                return new Address(null, text.toLowerCase(Locale.ROOT));
            }
            return null;
        }
    }
}
