package io.outrider.plugin.winevent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The high-value events a live channel is filtered to when {@code event_ids} is not configured, with what each
 * means. A channel not listed here is read unfiltered. README.md documents the same table; a test keeps the two
 * in step.
 */
public final class DefaultEventIds
{
    /** One well-known event of a channel. */
    public record KnownEvent(int id, String meaning) {}

    public static final String SECURITY = "Security";
    public static final String SYSTEM = "System";
    public static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
    public static final String POWERSHELL = "Microsoft-Windows-PowerShell/Operational";
    public static final String DEFENDER = "Microsoft-Windows-Windows Defender/Operational";

    private static final Map<String, List<KnownEvent>> BY_CHANNEL = build();

    private DefaultEventIds() {}

    private static Map<String, List<KnownEvent>> build()
    {
        Map<String, List<KnownEvent>> channels = new LinkedHashMap<>();
        channels.put(SECURITY, List.of(
                new KnownEvent(1102, "The audit log was cleared"),
                new KnownEvent(4624, "An account was successfully logged on"),
                new KnownEvent(4625, "An account failed to log on"),
                new KnownEvent(4634, "An account was logged off"),
                new KnownEvent(4647, "User initiated logoff"),
                new KnownEvent(4648, "A logon was attempted using explicit credentials"),
                new KnownEvent(4672, "Special privileges assigned to new logon"),
                new KnownEvent(4688, "A new process has been created"),
                new KnownEvent(4697, "A service was installed in the system"),
                new KnownEvent(4698, "A scheduled task was created"),
                new KnownEvent(4699, "A scheduled task was deleted"),
                new KnownEvent(4700, "A scheduled task was enabled"),
                new KnownEvent(4701, "A scheduled task was disabled"),
                new KnownEvent(4702, "A scheduled task was updated"),
                new KnownEvent(4719, "System audit policy was changed"),
                new KnownEvent(4720, "A user account was created"),
                new KnownEvent(4722, "A user account was enabled"),
                new KnownEvent(4723, "An attempt was made to change an account's password"),
                new KnownEvent(4724, "An attempt was made to reset an account's password"),
                new KnownEvent(4725, "A user account was disabled"),
                new KnownEvent(4726, "A user account was deleted"),
                new KnownEvent(4727, "A security-enabled global group was created"),
                new KnownEvent(4728, "A member was added to a security-enabled global group"),
                new KnownEvent(4729, "A member was removed from a security-enabled global group"),
                new KnownEvent(4730, "A security-enabled global group was deleted"),
                new KnownEvent(4731, "A security-enabled local group was created"),
                new KnownEvent(4732, "A member was added to a security-enabled local group"),
                new KnownEvent(4733, "A member was removed from a security-enabled local group"),
                new KnownEvent(4734, "A security-enabled local group was deleted"),
                new KnownEvent(4738, "A user account was changed"),
                new KnownEvent(4740, "A user account was locked out"),
                new KnownEvent(4754, "A security-enabled universal group was created"),
                new KnownEvent(4756, "A member was added to a security-enabled universal group"),
                new KnownEvent(4757, "A member was removed from a security-enabled universal group"),
                new KnownEvent(4758, "A security-enabled universal group was deleted"),
                new KnownEvent(4767, "A user account was unlocked"),
                new KnownEvent(4768, "A Kerberos authentication ticket (TGT) was requested"),
                new KnownEvent(4769, "A Kerberos service ticket was requested"),
                new KnownEvent(4771, "Kerberos pre-authentication failed"),
                new KnownEvent(4776, "The computer attempted to validate the credentials for an account (NTLM)")));
        channels.put(SYSTEM, List.of(
                new KnownEvent(104, "An event log was cleared"),
                new KnownEvent(7034, "A service terminated unexpectedly"),
                new KnownEvent(7040, "The start type of a service was changed"),
                new KnownEvent(7045, "A service was installed in the system")));
        channels.put(SYSMON, List.of(
                new KnownEvent(1, "Process creation"),
                new KnownEvent(3, "Network connection"),
                new KnownEvent(6, "Driver loaded"),
                new KnownEvent(8, "CreateRemoteThread"),
                new KnownEvent(11, "File created"),
                new KnownEvent(13, "Registry value set"),
                new KnownEvent(22, "DNS query"),
                new KnownEvent(25, "Process tampering")));
        channels.put(POWERSHELL, List.of(
                new KnownEvent(4104, "PowerShell script block logged")));
        channels.put(DEFENDER, List.of(
                new KnownEvent(1116, "Malware or potentially unwanted software detected"),
                new KnownEvent(1117, "Action taken to protect the system from malware")));
        return Map.copyOf(channels);
    }

    /** The channels that have a default set, in documentation order. */
    public static List<String> channels()
    {
        return List.of(SECURITY, SYSTEM, SYSMON, POWERSHELL, DEFENDER);
    }

    /** The default events of a channel (matched case-insensitively, as Windows does), or empty. */
    public static List<KnownEvent> forChannel(String channel)
    {
        for (Map.Entry<String, List<KnownEvent>> entry : BY_CHANNEL.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(channel)) {
                return entry.getValue();
            }
        }
        return List.of();
    }

    /** The default selection of a channel; {@link EventIdSelection#ALL} for a channel without defaults. */
    public static EventIdSelection selectionFor(String channel)
    {
        List<EventIdRange> ids = new ArrayList<>();
        forChannel(channel).forEach(known -> ids.add(EventIdRange.of(known.id())));
        return new EventIdSelection(ids, List.of());
    }

    /** What a well-known event means, if it is in a default set. */
    public static Optional<String> meaning(String channel, int id)
    {
        for (KnownEvent known : forChannel(channel)) {
            if (known.id() == id) {
                return Optional.of(known.meaning());
            }
        }
        return Optional.empty();
    }
}
