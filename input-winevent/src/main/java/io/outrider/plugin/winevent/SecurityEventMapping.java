package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gives the security events of the Windows Event Log the shared {@link SecurityActions} vocabulary, so that one query
 * works across Windows and Linux hosts: a Windows 4720 and a Linux {@code useradd} are both
 * {@link SecurityActions#ACCOUNT_CREATED}. Logons keep their own mapping ({@link LogonMapping}).
 *
 * <p>Who acted (the {@code Subject*} data) becomes {@code user.name}, {@code user.domain} and {@code user.id}; the
 * account acted on (the {@code Target*} data, or a group's {@code Member*}) becomes {@code user.target.*}; a group
 * {@code group.*}; a service {@code service.name}, with its binary in {@code process.command_line}. An event is
 * recognised by its id together with where it comes from (the Security channel or auditing provider, the event log
 * service, the service control manager), because other providers reuse the same numbers for unrelated events.
 */
final class SecurityEventMapping
{
    static final String SECURITY_AUDITING_PROVIDER = "Microsoft-Windows-Security-Auditing";
    static final String EVENTLOG_PROVIDER = "Microsoft-Windows-Eventlog";
    static final String SERVICE_CONTROL_MANAGER_PROVIDER = "Service Control Manager";

    static final String CATEGORY_AUTHENTICATION = "authentication";
    static final String CATEGORY_IAM = "iam";
    static final String CATEGORY_PROCESS = "process";
    static final String CATEGORY_CONFIGURATION = "configuration";

    static final String REASON_SPECIAL_PRIVILEGES = "special_privileges";

    /** The SID Windows writes where there is no account ("NULL SID"). */
    private static final String NULL_SID = "S-1-0-0";

    private SecurityEventMapping() {}

    /**
     * Adds the security vocabulary to an event the mapper has already given its {@code winlog.*} fields and its
     * keyword outcome; does nothing for an event outside the mapping.
     *
     * @param securityUserId {@code System/Security/@UserID}: who caused an event whose data does not name a subject
     */
    static void apply(String channel, String provider, int eventId, Map<String, Object> eventData, Map<String, Object> userData, String securityUserId,
            Event.Builder builder)
    {
        if ((eventId == 1102 || eventId == 104) && EVENTLOG_PROVIDER.equalsIgnoreCase(provider)) {
            logCleared(eventData, userData, securityUserId, builder);
            return;
        }
        if (eventId == 7045 && SERVICE_CONTROL_MANAGER_PROVIDER.equalsIgnoreCase(provider)) {
            serviceInstalledBySystemChannel(eventData, securityUserId, builder);
            return;
        }
        if (!"Security".equalsIgnoreCase(channel) && !SECURITY_AUDITING_PROVIDER.equals(provider)) {
            return;
        }
        switch (eventId) {
            case 4624, 4625, 4634, 4647 -> {
                LogonMapping.apply(eventId, eventData, builder);
                builder.field(Fields.EVENT_CATEGORY, CATEGORY_AUTHENTICATION);
            }
            case 4648 -> explicitCredentials(eventData, builder);
            case 4672 -> specialPrivileges(eventData, builder);
            case 4688 -> processStarted(eventData, builder);
            case 4697 -> serviceInstalledBySecurityChannel(eventData, builder);
            case 4698 -> taskChanged("created", eventData, builder);
            case 4699 -> taskChanged("deleted", eventData, builder);
            case 4700 -> taskChanged("enabled", eventData, builder);
            case 4701 -> taskChanged("disabled", eventData, builder);
            case 4702 -> taskChanged("updated", eventData, builder);
            case 4720 -> account(SecurityActions.ACCOUNT_CREATED, eventData, builder);
            case 4722 -> account(SecurityActions.ACCOUNT_ENABLED, eventData, builder);
            case 4723 -> passwordChanged("changed", eventData, builder);
            case 4724 -> passwordChanged("reset", eventData, builder);
            case 4725 -> account(SecurityActions.ACCOUNT_DISABLED, eventData, builder);
            case 4726 -> account(SecurityActions.ACCOUNT_DELETED, eventData, builder);
            case 4738 -> account(SecurityActions.ACCOUNT_MODIFIED, eventData, builder);
            case 4740 -> accountLocked(eventData, builder);
            case 4767 -> account(SecurityActions.ACCOUNT_UNLOCKED, eventData, builder);
            case 4727, 4731, 4754 -> group(SecurityActions.GROUP_CREATED, eventData, builder);
            case 4730, 4734, 4758 -> group(SecurityActions.GROUP_DELETED, eventData, builder);
            case 4728, 4732, 4756 -> group(SecurityActions.GROUP_MEMBER_ADDED, eventData, builder);
            case 4729, 4733, 4757 -> group(SecurityActions.GROUP_MEMBER_REMOVED, eventData, builder);
            default -> {
                // Not a security action of the shared vocabulary: the winlog.* fields say everything there is.
            }
        }
    }

    /** 4648: a process used explicitly supplied credentials (runas, a scheduled task, a mapped drive). */
    private static void explicitCredentials(Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.EXPLICIT_CREDENTIALS, CATEGORY_AUTHENTICATION);
        subject(data, builder);
        // The credentials used: 4648 names the account but carries no SID for it.
        builder.field(Fields.USER_TARGET_NAME, meaningful(data, "TargetUserName"));
        builder.field(EventXmlMapper.USER_TARGET_DOMAIN, meaningful(data, "TargetDomainName"));
        builder.field(EventXmlMapper.DESTINATION_DOMAIN, meaningful(data, "TargetServerName"));
        builder.field(Fields.SOURCE_IP, LogonMapping.ipAddress(text(data, "IpAddress")));
        builder.field(Fields.SOURCE_PORT, LogonMapping.port(text(data, "IpPort")));
        builder.field(EventXmlMapper.PROCESS_EXECUTABLE, meaningful(data, "ProcessName"));
    }

    /** 4672: a logon was given administrator-equivalent privileges; the logged-on account is the subject. */
    private static void specialPrivileges(Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.PRIVILEGE_USE, CATEGORY_IAM);
        builder.field(Fields.EVENT_REASON, REASON_SPECIAL_PRIVILEGES);
        subject(data, builder);
        List<String> privileges = privileges(text(data, "PrivilegeList"));
        if (!privileges.isEmpty()) {
            builder.field(EventXmlMapper.PRIVILEGES, privileges);
        }
    }

    /** 4688: the subject started a process; a target account appears only when the process runs as someone else. */
    private static void processStarted(Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.PROCESS_STARTED, CATEGORY_PROCESS);
        subject(data, builder);
        if (!NULL_SID.equals(meaningful(data, "TargetUserSid"))) {
            builder.field(Fields.USER_TARGET_NAME, meaningful(data, "TargetUserName"));
            builder.field(EventXmlMapper.USER_TARGET_DOMAIN, meaningful(data, "TargetDomainName"));
            builder.field(Fields.USER_TARGET_ID, meaningful(data, "TargetUserSid"));
        }
        builder.field(EventXmlMapper.PROCESS_EXECUTABLE, meaningful(data, "NewProcessName"));
        // Empty unless "Include command line in process creation events" is enabled.
        builder.field(Fields.PROCESS_COMMAND_LINE, meaningful(data, "CommandLine"));
        builder.field(EventXmlMapper.PROCESS_PARENT_EXECUTABLE, meaningful(data, "ParentProcessName"));
    }

    /** 4697: the Security channel's record of a service installation, with the installer as subject. */
    private static void serviceInstalledBySecurityChannel(Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.SERVICE_INSTALLED, CATEGORY_CONFIGURATION);
        subject(data, builder);
        builder.field(Fields.SERVICE_NAME, meaningful(data, "ServiceName"));
        builder.field(Fields.PROCESS_COMMAND_LINE, meaningful(data, "ServiceFileName"));
        builder.field(Fields.USER_TARGET_NAME, meaningful(data, "ServiceAccount"));
    }

    /**
     * 7045: the service control manager's record of a service installation. Its data does not name the installer;
     * the event's security user id is the account that called the service control manager.
     */
    private static void serviceInstalledBySystemChannel(Map<String, Object> data, String securityUserId, Event.Builder builder)
    {
        classify(builder, SecurityActions.SERVICE_INSTALLED, CATEGORY_CONFIGURATION);
        builder.field(Fields.USER_ID, meaningfulSid(securityUserId));
        builder.field(Fields.SERVICE_NAME, meaningful(data, "ServiceName"));
        builder.field(Fields.PROCESS_COMMAND_LINE, meaningful(data, "ImagePath"));
        // The account the service runs as ("LocalSystem", "NT AUTHORITY\LocalService"); empty for drivers.
        builder.field(Fields.USER_TARGET_NAME, meaningful(data, "AccountName"));
    }

    /** 4698-4702: the task's name stays in {@code winlog.event_data.TaskName}, its definition in {@code TaskContent}. */
    private static void taskChanged(String change, Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.TASK_CHANGED, CATEGORY_CONFIGURATION);
        builder.field(Fields.EVENT_REASON, change);
        subject(data, builder);
    }

    private static void account(String action, Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, action, CATEGORY_IAM);
        subject(data, builder);
        target(data, builder);
    }

    /** 4723 (a user changed a password, the own or another's) and 4724 (an administrator reset one). */
    private static void passwordChanged(String how, Map<String, Object> data, Event.Builder builder)
    {
        account(SecurityActions.PASSWORD_CHANGED, data, builder);
        builder.field(Fields.EVENT_REASON, how);
    }

    /**
     * 4740: Windows writes the computer the failed logons came from ("Caller Computer Name") into
     * {@code TargetDomainName}; it is the source of the lockout, not the account's domain.
     */
    private static void accountLocked(Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, SecurityActions.ACCOUNT_LOCKED, CATEGORY_IAM);
        subject(data, builder);
        builder.field(Fields.USER_TARGET_NAME, meaningful(data, "TargetUserName"));
        builder.field(Fields.USER_TARGET_ID, meaningfulSid(text(data, "TargetSid")));
        builder.field(Fields.SOURCE_DOMAIN, meaningful(data, "TargetDomainName"));
    }

    /**
     * Group events name the group in the {@code Target*} data; membership changes name the member in
     * {@code MemberName} (a distinguished name for domain groups, "-" for local ones, where only the SID is given)
     * and {@code MemberSid}.
     */
    private static void group(String action, Map<String, Object> data, Event.Builder builder)
    {
        classify(builder, action, CATEGORY_IAM);
        subject(data, builder);
        builder.field(Fields.GROUP_NAME, meaningful(data, "TargetUserName"));
        builder.field(EventXmlMapper.GROUP_DOMAIN, meaningful(data, "TargetDomainName"));
        builder.field(EventXmlMapper.GROUP_ID, meaningfulSid(text(data, "TargetSid")));
        if (action.equals(SecurityActions.GROUP_MEMBER_ADDED) || action.equals(SecurityActions.GROUP_MEMBER_REMOVED)) {
            builder.field(Fields.USER_TARGET_NAME, memberName(meaningful(data, "MemberName")));
            builder.field(Fields.USER_TARGET_ID, meaningfulSid(text(data, "MemberSid")));
        }
    }

    /**
     * 1102 (the Security log) and 104 (any other log, written to System): who cleared it is in
     * {@code UserData/LogFileCleared}; 104 also names the cleared channel there ({@code winlog.user_data.Channel}).
     */
    private static void logCleared(Map<String, Object> eventData, Map<String, Object> userData, String securityUserId, Event.Builder builder)
    {
        classify(builder, SecurityActions.LOG_CLEARED, CATEGORY_CONFIGURATION);
        Map<String, Object> data = userData.containsKey("SubjectUserName") ? userData : eventData;
        builder.field(Fields.USER_NAME, meaningful(data, "SubjectUserName"));
        builder.field(Fields.USER_DOMAIN, meaningful(data, "SubjectDomainName"));
        String sid = meaningfulSid(text(data, "SubjectUserSid"));
        builder.field(Fields.USER_ID, sid != null ? sid : meaningfulSid(securityUserId));
        builder.field(EventXmlMapper.LOGON_ID, meaningful(data, "SubjectLogonId"));
    }

    /**
     * The action and category; the outcome stays what the audit keywords say (a 4723 that Windows refused is
     * Audit Failure) and is success for events that carry no audit keyword, as the System channel's do not.
     */
    private static void classify(Event.Builder builder, String action, String category)
    {
        builder.field(Fields.EVENT_ACTION, action);
        builder.field(Fields.EVENT_CATEGORY, category);
        if (builder.field(Fields.EVENT_OUTCOME) == null) {
            builder.field(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS);
        }
    }

    private static void subject(Map<String, Object> data, Event.Builder builder)
    {
        builder.field(Fields.USER_NAME, meaningful(data, "SubjectUserName"));
        builder.field(Fields.USER_DOMAIN, meaningful(data, "SubjectDomainName"));
        builder.field(Fields.USER_ID, meaningfulSid(text(data, "SubjectUserSid")));
        builder.field(EventXmlMapper.LOGON_ID, meaningful(data, "SubjectLogonId"));
    }

    private static void target(Map<String, Object> data, Event.Builder builder)
    {
        builder.field(Fields.USER_TARGET_NAME, meaningful(data, "TargetUserName"));
        builder.field(EventXmlMapper.USER_TARGET_DOMAIN, meaningful(data, "TargetDomainName"));
        builder.field(Fields.USER_TARGET_ID, meaningfulSid(text(data, "TargetSid")));
    }

    /**
     * The account name of a group member: the value of the first relative name of a distinguished name
     * ({@code CN=Backup Admin\, ops,OU=Staff,DC=corp} is {@code Backup Admin, ops}), else the value as written.
     */
    static String memberName(String memberName)
    {
        if (memberName == null || !memberName.regionMatches(true, 0, "CN=", 0, 3)) {
            return memberName;
        }
        StringBuilder name = new StringBuilder();
        for (int i = 3; i < memberName.length(); i++) {
            char c = memberName.charAt(i);
            if (c == '\\' && i + 1 < memberName.length()) {
                name.append(memberName.charAt(++i));
            }
            else if (c == ',') {
                break;
            }
            else {
                name.append(c);
            }
        }
        String value = name.toString().strip();
        return value.isEmpty() ? memberName : value;
    }

    /** 4672's {@code PrivilegeList}: one privilege name per line, indented; "-" when there is none. */
    static List<String> privileges(String privilegeList)
    {
        List<String> privileges = new ArrayList<>();
        if (privilegeList == null) {
            return privileges;
        }
        for (String privilege : privilegeList.strip().split("\\s+")) {
            if (!privilege.isEmpty() && !privilege.equals("-")) {
                privileges.add(privilege);
            }
        }
        return List.copyOf(privileges);
    }

    private static String meaningful(Map<String, Object> data, String name)
    {
        return LogonMapping.meaningful(text(data, name));
    }

    private static String meaningfulSid(String sid)
    {
        String value = LogonMapping.meaningful(sid);
        return NULL_SID.equals(value) ? null : value;
    }

    private static String text(Map<String, Object> data, String name)
    {
        return LogonMapping.text(data, name);
    }
}
