package io.outrider.spi;

/**
 * Well-known field names (ECS-like). Plugins should use these so that every output format finds the same facts in
 * the same place; a plugin may add its own fields under a prefix of its own (e.g. {@code journald.}, {@code winlog.}).
 */
@Stable
public final class Fields
{
    public static final String HOST_NAME = "host.name";
    public static final String AGENT_NAME = "agent.name";
    public static final String AGENT_VERSION = "agent.version";

    public static final String LOG_FILE_PATH = "log.file.path";
    public static final String LOG_OFFSET = "log.offset";
    public static final String LOG_FILE_SIZE = "log.file.size";
    public static final String LOG_FILE_MTIME = "log.file.mtime";
    public static final String LOG_SYSLOG_PRIORITY = "log.syslog.priority";
    public static final String LOG_SYSLOG_FACILITY = "log.syslog.facility";
    public static final String LOG_FLAGS = "log.flags";
    /** The host name a syslog line carried, when it differs from the agent's. @since SPI 1.1 */
    public static final String LOG_SYSLOG_HOSTNAME = "log.syslog.hostname";

    /** The systemd unit of a journal entry. @since SPI 1.1 */
    public static final String SYSTEMD_UNIT = "systemd.unit";

    public static final String EVENT_ACTION = "event.action";
    public static final String EVENT_OUTCOME = "event.outcome";
    public static final String EVENT_REASON = "event.reason";
    public static final String EVENT_CATEGORY = "event.category";
    public static final String EVENT_KIND = "event.kind";
    public static final String EVENT_MODULE = "event.module";
    public static final String EVENT_DATASET = "event.dataset";
    public static final String EVENT_SEVERITY = "event.severity";
    public static final String EVENT_CODE = "event.code";
    public static final String EVENT_ORIGINAL = "event.original";
    public static final String EVENT_COUNT = "event.count";

    public static final String ERROR_MESSAGE = "error.message";

    public static final String SOURCE_IP = "source.ip";
    public static final String SOURCE_PORT = "source.port";
    public static final String SOURCE_ADDRESS = "source.address";
    /** @since SPI 1.1 */
    public static final String SOURCE_DOMAIN = "source.domain";
    public static final String USER_NAME = "user.name";
    /** @since SPI 1.1 */
    public static final String USER_ID = "user.id";
    /** @since SPI 1.1 */
    public static final String USER_DOMAIN = "user.domain";
    public static final String PROCESS_PID = "process.pid";
    public static final String PROCESS_NAME = "process.name";

    /**
     * The account an action was done to or as: the user sudo ran a command as, the user su switched to, the account
     * created, deleted, locked or whose password changed (ECS {@code user.target.name}). {@link #USER_NAME} stays the
     * one who acted. @since SPI 1.3
     */
    public static final String USER_TARGET_NAME = "user.target.name";
    /** The numeric id of {@link #USER_TARGET_NAME} (uid, or a Windows SID) where the log gives one. @since SPI 1.3 */
    public static final String USER_TARGET_ID = "user.target.id";
    /** A group an action concerns: the group created, deleted, or that a member joined or left. @since SPI 1.3 */
    public static final String GROUP_NAME = "group.name";
    /** A command line as logged (sudo's {@code COMMAND=}, Windows 4688's command line). @since SPI 1.3 */
    public static final String PROCESS_COMMAND_LINE = "process.command_line";
    /** The working directory a command ran in (sudo's {@code PWD=}). @since SPI 1.3 */
    public static final String PROCESS_WORKING_DIRECTORY = "process.working_directory";
    /** The terminal a session or command used ({@code pts/0}, {@code tty1}). @since SPI 1.3 */
    public static final String PROCESS_TTY = "process.tty";
    /** A service an action concerns (a Windows service installed, the PAM service that logged). @since SPI 1.3 */
    public static final String SERVICE_NAME = "service.name";

    public static final String FILE_PATH = "file.path";
    public static final String FILE_SIZE = "file.size";
    public static final String FILE_MTIME = "file.mtime";
    public static final String FILE_OWNER = "file.owner";
    public static final String FILE_GROUP = "file.group";
    public static final String FILE_MODE = "file.mode";
    public static final String FILE_INODE = "file.inode";
    public static final String FILE_HASH_SHA256 = "file.hash.sha256";
    /** The file's SHA-256 before a change (file integrity monitoring). @since SPI 1.1 */
    public static final String FILE_HASH_SHA256_PREVIOUS = "file.hash.sha256_previous";

    /** Windows Event Log. @since SPI 1.1 */
    public static final String WINLOG_EVENT_ID = "winlog.event_id";
    /** @since SPI 1.1 */
    public static final String WINLOG_CHANNEL = "winlog.channel";
    /** @since SPI 1.1 */
    public static final String WINLOG_PROVIDER_NAME = "winlog.provider_name";
    /** @since SPI 1.1 */
    public static final String WINLOG_RECORD_ID = "winlog.record_id";
    /** @since SPI 1.1 */
    public static final String WINLOG_COMPUTER_NAME = "winlog.computer_name";
    /** @since SPI 1.1 */
    public static final String WINLOG_LEVEL = "winlog.level";

    /**
     * {@code true} on the last event of a round of an input that works in rounds (see
     * {@link InputFactory#worksInRounds()}): one full scan, one poll. Absent on every other event.
     *
     * <p>Who sets it: the input, on exactly one event per round, the round's last. When: that event is emitted no
     * earlier than with the round's last checkpoints, in the same {@link Emitter#emit} or after it, so that once the
     * emit returns the whole round (its events and its checkpoints) is committed. The same event carries the round's
     * summary as numeric fields under the input's own prefix (for example {@code fim.scan.files},
     * {@code fim.scan.modified}) and keeps its own {@link #EVENT_ACTION} (for example {@code scan_complete}); the event
     * travels to outputs like any other.
     *
     * <p>What the agent does with it: {@code outrider run-once} runs an input until this event, commits what the
     * round emitted to the buffer, prints the round's other events and the summary's numeric fields, and with
     * {@code --exit-code} exits 1 when the round emitted anything besides this event. A running agent does nothing
     * special with it.
     *
     * @since SPI 1.4
     */
    @Experimental
    public static final String OUTRIDER_ROUND_COMPLETE = "outrider.round_complete";

    /** Outcome values for {@link #EVENT_OUTCOME}. */
    public static final String OUTCOME_SUCCESS = "success";
    public static final String OUTCOME_FAILURE = "failure";
    public static final String OUTCOME_UNKNOWN = "unknown";

    private Fields() {}
}
