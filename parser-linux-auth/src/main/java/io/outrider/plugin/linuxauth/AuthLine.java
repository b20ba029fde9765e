package io.outrider.plugin.linuxauth;

import static java.util.Objects.requireNonNull;

/**
 * What one line says, before it becomes an event: the action and why, who acted and on whom, and the details the
 * line carries. Every value but the action and reason is {@code null} when the line does not say it.
 *
 * @param action one of {@link io.outrider.spi.SecurityActions}
 * @param reason a short machine-readable why ({@code incorrect_password}, {@code shell})
 * @param dataset which family of lines: {@code sudo}, {@code su}, {@code pam}, {@code shadow}
 * @param user who acted, or who tried to log on ({@code user.name})
 * @param userId the numeric id of {@code user}
 * @param realUserId the real uid of the process that logged the line ({@code process.real_user.id}), where the line
 *        gives it beside a name whose id it need not be (PAM's {@code by NAME(uid=N)})
 * @param target the account acted on or as ({@code user.target.name})
 * @param targetId the numeric id of {@code target}
 * @param group the group concerned
 * @param remoteHost PAM's {@code rhost} as logged, validated later
 * @param tty the terminal
 * @param workingDirectory sudo's {@code PWD=}
 * @param commandLine sudo's {@code COMMAND=}
 * @param service the PAM service
 * @param count how many occurrences the line stands for ({@code PAM 3 more authentication failures})
 */
record AuthLine(
        String action,
        String reason,
        String dataset,
        String user,
        String userId,
        String realUserId,
        String target,
        String targetId,
        String group,
        String remoteHost,
        String tty,
        String workingDirectory,
        String commandLine,
        String service,
        long count)
{
    AuthLine
    {
        requireNonNull(action, "action is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(dataset, "dataset is null");
    }

    static Builder builder(String dataset, String action, String reason)
    {
        return new Builder(dataset, action, reason);
    }

    /** Lines are classified field by field; the builder keeps the classifiers readable. */
    static final class Builder
    {
        private final String dataset;
        private final String action;
        private final String reason;
        private String user;
        private String userId;
        private String realUserId;
        private String target;
        private String targetId;
        private String group;
        private String remoteHost;
        private String tty;
        private String workingDirectory;
        private String commandLine;
        private String service;
        private long count = 1;

        private Builder(String dataset, String action, String reason)
        {
            this.dataset = dataset;
            this.action = action;
            this.reason = reason;
        }

        Builder user(String value)
        {
            this.user = emptyToNull(value);
            return this;
        }

        Builder userId(String value)
        {
            this.userId = emptyToNull(value);
            return this;
        }

        Builder realUserId(String value)
        {
            this.realUserId = emptyToNull(value);
            return this;
        }

        Builder target(String value)
        {
            this.target = emptyToNull(value);
            return this;
        }

        Builder targetId(String value)
        {
            this.targetId = emptyToNull(value);
            return this;
        }

        Builder group(String value)
        {
            this.group = emptyToNull(value);
            return this;
        }

        Builder remoteHost(String value)
        {
            this.remoteHost = emptyToNull(value);
            return this;
        }

        Builder tty(String value)
        {
            this.tty = emptyToNull(value);
            return this;
        }

        Builder workingDirectory(String value)
        {
            this.workingDirectory = emptyToNull(value);
            return this;
        }

        Builder commandLine(String value)
        {
            this.commandLine = emptyToNull(value);
            return this;
        }

        Builder service(String value)
        {
            this.service = emptyToNull(value);
            return this;
        }

        Builder count(long value)
        {
            this.count = value;
            return this;
        }

        AuthLine build()
        {
            return new AuthLine(action, reason, dataset, user, userId, realUserId, target, targetId, group, remoteHost, tty, workingDirectory, commandLine, service, count);
        }

        private static String emptyToNull(String value)
        {
            return value == null || value.isEmpty() ? null : value;
        }
    }
}
