package io.outrider.plugin.linuxauth;

import io.outrider.spi.SecurityActions;

import java.util.Locale;
import java.util.Set;

/**
 * Account and group changes as shadow-utils writes them ({@code useradd}, {@code userdel}, {@code usermod},
 * {@code groupadd}, {@code groupdel}, {@code gpasswd}, {@code passwd}, {@code chage}, {@code chsh}, {@code chfn}),
 * names in {@code 'quotes'} (shadow 4.2 and later) or {@code `quotes'} (before).
 *
 * <p>The tools write most changes twice, once per file ({@code add 'bob' to group 'docker'} and {@code add 'bob'
 * to shadow group 'docker'}; {@code group added to /etc/group: ...}, {@code group added to /etc/gshadow: ...} and
 * {@code new group: ...}): one of each pair is classified, so one change is one event; the others stay unmatched.
 * User and group names are validated by the tools (no quotes, no spaces); free text (home, shell) is never read
 * for a name.
 */
final class ShadowLines
{
    static final String DATASET = "shadow";

    static final Set<String> PROGRAMS = Set.of("useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod", "gpasswd", "passwd", "chpasswd",
            "chgpasswd", "chage", "chfn", "chsh", "newusers", "groupmems");

    private static final String[] MODIFIED_FIELDS = {"UID", "GID", "home", "shell", "inactive", "expiration"};

    private ShadowLines() {}

    static AuthLine classify(String rawText)
    {
        String text = withoutTrailingNewline(rawText);
        if (text.startsWith("new user: name=")) {
            int uid = text.indexOf(", UID=");
            int gid = uid < 0 ? -1 : text.indexOf(", GID=", uid);
            if (gid < 0) {
                return null;
            }
            String user = text.substring("new user: name=".length(), uid);
            String userId = text.substring(uid + ", UID=".length(), gid);
            return Text.isName(user) && Text.isDigits(userId) ? line(SecurityActions.ACCOUNT_CREATED, "created").target(user).targetId(userId).build() : null;
        }
        if (text.startsWith("new group: name=")) {
            int gid = text.indexOf(", GID=");
            String group = gid < 0 ? "" : text.substring("new group: name=".length(), gid);
            return Text.isName(group) && Text.isDigits(text.substring(gid + ", GID=".length())) ? line(SecurityActions.GROUP_CREATED, "created").group(group).build() : null;
        }
        if (text.startsWith("add ")) {
            return memberOfGroup(text, "add ", "' to group ", SecurityActions.GROUP_MEMBER_ADDED, "added");
        }
        if (text.startsWith("delete user ")) {
            String user = quoted(text, "delete user ".length(), text.length());
            return user == null ? null : line(SecurityActions.ACCOUNT_DELETED, "deleted").target(user).build();
        }
        if (text.startsWith("delete ")) {
            return memberOfGroup(text, "delete ", "' from group ", SecurityActions.GROUP_MEMBER_REMOVED, "removed");
        }
        if (text.startsWith("removed group ")) {
            int owned = text.indexOf("' owned by ");
            String group = owned < 0 ? null : quoted(text, "removed group ".length(), owned + 1);
            String owner = group == null ? null : quoted(text, owned + "' owned by ".length(), text.length());
            return owner == null ? null : line(SecurityActions.GROUP_DELETED, "deleted").group(group).target(owner).build();
        }
        if (text.startsWith("group ") && text.endsWith("' removed")) {
            String group = quoted(text, "group ".length(), text.length() - " removed".length());
            return group == null ? null : line(SecurityActions.GROUP_DELETED, "deleted").group(group).build();
        }
        if (text.startsWith("remove group ")) {
            String group = quoted(text, "remove group ".length(), text.length());
            return group == null ? null : line(SecurityActions.GROUP_DELETED, "deleted").group(group).build();
        }
        if (text.startsWith("lock user ") && text.endsWith("' password")) {
            String user = quoted(text, "lock user ".length(), text.length() - " password".length());
            return user == null ? null : line(SecurityActions.ACCOUNT_LOCKED, "password_locked").target(user).build();
        }
        if (text.startsWith("unlock user ") && text.endsWith("' password")) {
            String user = quoted(text, "unlock user ".length(), text.length() - " password".length());
            return user == null ? null : line(SecurityActions.ACCOUNT_UNLOCKED, "password_unlocked").target(user).build();
        }
        if (text.startsWith("change user name ")) {
            int to = text.indexOf("' to ");
            String user = to < 0 ? null : quoted(text, "change user name ".length(), to + 1);
            return user == null ? null : line(SecurityActions.ACCOUNT_MODIFIED, "name").target(user).build();
        }
        if (text.startsWith("change user ")) {
            return changeUser(text);
        }
        if (text.startsWith("user ")) {
            return gpasswd(text);
        }
        if (text.startsWith("password for ")) {
            int changedBy = text.indexOf("' changed by ");
            String user = changedBy < 0 ? null : quoted(text, "password for ".length(), changedBy + 1);
            String by = user == null ? null : quoted(text, changedBy + "' changed by ".length(), text.length());
            if (by == null) {
                return null;
            }
            return line(SecurityActions.PASSWORD_CHANGED, user.equals(by) ? "changed" : "reset").user(by).target(user).build();
        }
        if (text.startsWith("changed password expiry for ")) {
            String user = text.substring("changed password expiry for ".length());
            return Text.isName(user) ? line(SecurityActions.ACCOUNT_MODIFIED, "password_expiry").target(user).build() : null;
        }
        if (text.startsWith("changed user ")) {
            int close = text.indexOf("' ", "changed user ".length());
            String user = close < 0 ? null : quoted(text, "changed user ".length(), close + 1);
            if (user == null) {
                return null;
            }
            String change = text.substring(close + 2);
            if (change.equals("information")) {
                return line(SecurityActions.ACCOUNT_MODIFIED, "information").target(user).build();
            }
            if (change.startsWith("shell to ")) {
                return line(SecurityActions.ACCOUNT_MODIFIED, "shell").target(user).build();
            }
        }
        return null;
    }

    /** {@code add 'bob' to group 'docker'} / {@code delete 'bob' from group 'docker'}; the shadow-group twin is not counted. */
    private static AuthLine memberOfGroup(String text, String verb, String infix, String action, String reason)
    {
        int middle = text.indexOf(infix, verb.length());
        if (middle < 0) {
            return null;
        }
        String user = quoted(text, verb.length(), middle + 1);
        String group = quoted(text, middle + infix.length(), text.length());
        return user == null || group == null ? null : line(action, reason).target(user).group(group).build();
    }

    /** {@code change user 'bob' shell from '/bin/sh' to '/bin/bash'}, {@code change user 'bob' password}. */
    private static AuthLine changeUser(String text)
    {
        int close = text.indexOf("' ", "change user ".length());
        String user = close < 0 ? null : quoted(text, "change user ".length(), close + 1);
        if (user == null) {
            return null;
        }
        String change = text.substring(close + 2);
        if (change.equals("password")) {
            return line(SecurityActions.PASSWORD_CHANGED, "changed").target(user).build();
        }
        for (String field : MODIFIED_FIELDS) {
            if (change.startsWith(field) && change.startsWith(" from ", field.length())) {
                return line(SecurityActions.ACCOUNT_MODIFIED, field.toLowerCase(Locale.ROOT)).target(user).build();
            }
        }
        return null;
    }

    /** gpasswd: {@code user bob added by alice to group docker}, {@code user bob removed by alice from group docker}. */
    private static AuthLine gpasswd(String text)
    {
        // user BOB added|removed by ALICE to|from group GROUP; only the /etc/group line, its twin ends with " in /etc/gshadow"
        String[] words = text.split(" ", -1);
        if (words.length != 8 || !words[3].equals("by") || !words[6].equals("group")) {
            return null;
        }
        boolean added = words[2].equals("added") && words[5].equals("to");
        boolean removed = words[2].equals("removed") && words[5].equals("from");
        if ((!added && !removed) || !Text.isName(words[1]) || !Text.isName(words[4]) || !Text.isName(words[7])) {
            return null;
        }
        return line(added ? SecurityActions.GROUP_MEMBER_ADDED : SecurityActions.GROUP_MEMBER_REMOVED, added ? "added" : "removed")
                .target(words[1]).user(words[4]).group(words[7]).build();
    }

    /** The name in {@code 'name'} or {@code `name'} exactly spanning {@code text[start, end)}, or {@code null}. */
    private static String quoted(String text, int start, int end)
    {
        if (end - start < 3 || (text.charAt(start) != '\'' && text.charAt(start) != '`') || text.charAt(end - 1) != '\'') {
            return null;
        }
        String name = text.substring(start + 1, end - 1);
        return Text.isName(name) && name.indexOf('\'') < 0 ? name : null;
    }

    /** userdel ends some messages with a line feed, which syslog daemons keep, drop or write as {@code #012}. */
    private static String withoutTrailingNewline(String text)
    {
        if (text.endsWith("#012")) {
            return text.substring(0, text.length() - 4);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static AuthLine.Builder line(String action, String reason)
    {
        return AuthLine.builder(DATASET, action, reason);
    }
}
