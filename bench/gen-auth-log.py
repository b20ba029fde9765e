#!/usr/bin/env python3
"""Outrider's deterministic generator of a realistic auth.log, for tests and benchmarks.

usage: gen-auth-log.py [-n LINES] [--seed S] [--host H] [-o OUT] [--counts OUT.json]

Writes exactly LINES lines (default 1,000,000) in the classic syslog form ("Mar  4 02:11:09 host sshd[3117]: ...")
to OUT (default stdout): sshd sessions of OpenSSH 8/9 (password guessing on root, invalid users, scanners, logins
by password, public key and keyboard-interactive with their PAM and logind lines; IPv4 and IPv6) interleaved with
cron, sudo and su. With --counts it also writes the ground truth as flat JSON: "total", the number of lines of each
kind, and "repeated_failures" (the failures that "message repeated N times" lines stand for). The same arguments
give byte-identical output (Python 3.6+, standard library only).

Each sshd process gets its own PID, so a parser that follows sessions by host and PID sees every session whole
up to the cut at LINES; lines are written in time order, so a cut never keeps a line without the ones before it.
"""
import argparse
import heapq
import json
import random
import sys

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
GUESSED_USERS = ("admin", "test", "user", "oracle", "postgres", "ubuntu", "git", "ftp", "guest", "pi", "support",
                 "mysql", "jenkins", "hadoop", "minecraft", "www", "deployer", "service", "elastic", "operator")
STAFF = (("alice", 1000), ("bob", 1001), ("carol", 1002), ("dave", 1003), ("erin", 1004), ("ci-runner", 1100))
KEY_TYPES = ("ED25519", "RSA", "ECDSA")
CRON_JOBS = ("/usr/lib/sysstat/debian-sa1 1 1", "cd / && run-parts --report /etc/cron.hourly",
             "/opt/backup/nightly.sh > /dev/null 2>&1", "[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean")
SUDO_COMMANDS = ("/usr/bin/systemctl reload nginx", "/usr/bin/apt-get upgrade -y", "/usr/bin/tail -n 200 /var/log/syslog",
                 "/usr/sbin/ufw status verbose")


class Generator:
    def __init__(self, seed, host):
        self.random = random.Random(seed)
        self.host = host
        self.pid = 1000
        self.session = 0
        self.sequence = 0
        self.pending = []  # (time, sequence, text, kind)
        # a skewed population of attackers (a few very noisy) and a few admin workstations
        self.attackers = [self.address(v6_share=0.15, prefixes=("203.0.113", "198.51.100", "192.0.2")) for _ in range(3000)]
        self.attacker_weights = [1.0 / (rank + 1) for rank in range(len(self.attackers))]
        self.workstations = [self.address(v6_share=0.4, prefixes=("10.20.30", "10.20.31")) for _ in range(25)]

    def address(self, v6_share, prefixes):
        if self.random.random() < v6_share:
            return "2001:db8:%x:%x::%x" % (self.random.randrange(1, 0x10000), self.random.randrange(0x10000), self.random.randrange(1, 0x10000))
        return "%s.%d" % (self.random.choice(prefixes), self.random.randrange(1, 255))

    def attacker(self):
        return self.random.choices(self.attackers, weights=self.attacker_weights)[0]

    def next_pid(self):
        self.pid += self.random.randrange(1, 9)
        if self.pid > 4_194_000:
            self.pid = 1000
        return self.pid

    def emit(self, time, program, text, kind, stands_for=1):
        self.sequence += 1
        heapq.heappush(self.pending, (time, self.sequence, program + ": " + text, kind, stands_for))

    def port(self):
        return self.random.randrange(1024, 65536)

    def fingerprint(self):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return "".join(self.random.choice(alphabet) for _ in range(43))

    # --- scenarios: each writes the lines of one sshd process (or one neighbouring program) from time t on ---

    def root_guessing(self, t):
        sshd, ip, port = "sshd[%d]" % self.next_pid(), self.attacker(), self.port()
        pam = self.random.random() < 0.3
        if pam:
            self.emit(t, sshd, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root" % ip, "pam_auth_failure")
        guesses = self.random.randrange(1, 4)
        for i in range(guesses):
            self.emit(t + 2 * i + 1, sshd, "Failed password for root from %s port %d ssh2" % (ip, port), "failed_password")
        end = t + 2 * guesses + 1
        if self.random.random() < 0.15:
            repeated = self.random.randrange(2, 5)
            self.emit(end, sshd, "message repeated %d times: [ Failed password for root from %s port %d ssh2]" % (repeated, ip, port),
                      "repeated_failed_password", stands_for=repeated)
            guesses += repeated
            end += 1
        ending = self.random.random()
        if ending < 0.45:
            self.emit(end, sshd, "Connection closed by authenticating user root %s port %d [preauth]" % (ip, port), "closed_authenticating")
        elif ending < 0.85:
            self.emit(end, sshd, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port), "received_disconnect_preauth")
            self.emit(end, sshd, "Disconnected from authenticating user root %s port %d [preauth]" % (ip, port), "disconnected_authenticating")
        else:
            self.emit(end, sshd, "error: maximum authentication attempts exceeded for root from %s port %d ssh2 [preauth]" % (ip, port), "max_auth_attempts")
            self.emit(end, sshd, "Disconnecting authenticating user root %s port %d: Too many authentication failures [preauth]" % (ip, port), "too_many_failures_disconnect")
        if pam and guesses > 1:
            # pam_unix sums up the failures after its first when the connection ends
            self.emit(end + 0.5, sshd, "PAM %d more authentication failure%s; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root"
                      % (guesses - 1, "" if guesses == 2 else "s", ip), "pam_more_failures")

    def invalid_user(self, t):
        sshd, ip, port, user = "sshd[%d]" % self.next_pid(), self.attacker(), self.port(), self.random.choice(GUESSED_USERS)
        self.emit(t, sshd, "Invalid user %s from %s port %d" % (user, ip, port), "invalid_user")
        for i in range(self.random.randrange(1, 3)):
            self.emit(t + 2 * i + 2, sshd, "Failed password for invalid user %s from %s port %d ssh2" % (user, ip, port), "failed_password_invalid")
        if self.random.random() < 0.5:
            self.emit(t + 6, sshd, "Connection closed by invalid user %s %s port %d [preauth]" % (user, ip, port), "closed_invalid")
        else:
            self.emit(t + 6, sshd, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port), "received_disconnect_preauth")
            self.emit(t + 6, sshd, "Disconnected from invalid user %s %s port %d [preauth]" % (user, ip, port), "disconnected_invalid")

    def scanner(self, t):
        sshd, ip, port = "sshd[%d]" % self.next_pid(), self.attacker(), self.port()
        if self.random.random() < 0.5:
            self.emit(t, sshd, "Connection closed by %s port %d [preauth]" % (ip, port), "closed_before_auth")
        else:
            self.emit(t, sshd, "Did not receive identification string from %s port %d" % (ip, port), "no_identification")

    def login(self, t):
        pid = self.next_pid()
        sshd, ip, port = "sshd[%d]" % pid, self.random.choice(self.workstations), self.port()
        user, uid = self.random.choice(STAFF)
        method = self.random.random()
        if method < 0.6:
            key = self.random.choice(KEY_TYPES)
            self.emit(t, sshd, "Accepted publickey for %s from %s port %d ssh2: %s SHA256:%s" % (user, ip, port, key, self.fingerprint()), "accepted_publickey")
        elif method < 0.9:
            self.emit(t, sshd, "Accepted password for %s from %s port %d ssh2" % (user, ip, port), "accepted_password")
        else:
            self.emit(t, sshd, "Failed keyboard-interactive/pam for %s from %s port %d ssh2" % (user, ip, port), "failed_keyboard_interactive")
            self.emit(t + 3, sshd, "Accepted keyboard-interactive/pam for %s from %s port %d ssh2" % (user, ip, port), "accepted_keyboard_interactive")
            t += 3
        self.session += 1
        self.emit(t, sshd, "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)" % (user, uid), "session_opened")
        self.emit(t, "systemd-logind[612]", "New session %d of user %s." % (self.session, user), "other_program")
        end = t + self.random.randrange(30, 1800)
        self.emit(end, sshd, "Received disconnect from %s port %d:11: disconnected by user" % (ip, port), "received_disconnect_user")
        self.emit(end, sshd, "Disconnected from user %s %s port %d" % (user, ip, port), "disconnected_user")
        self.emit(end, sshd, "pam_unix(sshd:session): session closed for user %s" % user, "session_closed")
        self.emit(end, "systemd-logind[612]", "Session %d logged out. Waiting for processes to exit." % self.session, "other_program")
        self.emit(end, "systemd-logind[612]", "Removed session %d." % self.session, "other_program")

    def neighbours(self, t):
        choice = self.random.random()
        if choice < 0.6:
            cron = "CRON[%d]" % self.next_pid()
            self.emit(t, cron, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", "other_program")
            self.emit(t, cron, "(root) CMD (%s)" % self.random.choice(CRON_JOBS), "other_program")
            self.emit(t + 1, cron, "pam_unix(cron:session): session closed for user root", "other_program")
        elif choice < 0.9:
            user, _ = self.random.choice(STAFF[:4])
            self.emit(t, "sudo", "%8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s"
                      % (user, self.random.randrange(4), user, self.random.choice(SUDO_COMMANDS)), "other_program")
            self.emit(t, "sudo", "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=0)" % user, "other_program")
            self.emit(t + 1, "sudo", "pam_unix(sudo:session): session closed for user root", "other_program")
        else:
            su = "su[%d]" % self.next_pid()
            self.emit(t, su, "pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=root", "other_program")
            self.emit(t + 2, su, "FAILED SU (to root) alice on pts/1", "other_program")

    def lines(self, count):
        """Yields (text, kind, how many events the line stands for) in time order, exactly count of them."""
        scenarios = ((0.34, self.root_guessing), (0.22, self.invalid_user), (0.14, self.scanner), (0.12, self.login), (0.18, self.neighbours))
        weights = [weight for weight, _ in scenarios]
        start_day = self.random.randrange(365)
        t = 0.0
        written = 0
        while written < count:
            # keep starting scenarios until the earliest pending line cannot be preceded by a later scenario's line
            while not self.pending or self.pending[0][0] >= t:
                t += self.random.expovariate(1.0)
                self.random.choices(scenarios, weights=weights)[0][1](t)
            time, _, text, kind, stands_for = heapq.heappop(self.pending)
            yield self.timestamp(start_day, time) + " " + self.host + " " + text, kind, stands_for
            written += 1

    @staticmethod
    def timestamp(start_day, seconds):
        whole = int(seconds)
        day = (start_day + whole // 86400) % 365
        month = 0
        while day >= DAYS_IN_MONTH[month]:
            day -= DAYS_IN_MONTH[month]
            month += 1
        rest = whole % 86400
        return "%s %2d %02d:%02d:%02d" % (MONTHS[month], day + 1, rest // 3600, rest // 60 % 60, rest % 60)


def main():
    parser = argparse.ArgumentParser(description="Deterministic auth.log generator with ground-truth counts.")
    parser.add_argument("-n", type=int, default=1_000_000, help="lines to write (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--host", default="gw01")
    parser.add_argument("-o", "--out", default="-", help="output file, - for stdout")
    parser.add_argument("--counts", help="write the number of lines of each kind to this JSON file")
    arguments = parser.parse_args()
    if arguments.n < 0:
        parser.error("-n must not be negative")

    generator = Generator(arguments.seed, arguments.host)
    counts = {}
    repeated_failures = 0
    out = sys.stdout if arguments.out == "-" else open(arguments.out, "w", encoding="utf-8", newline="\n")
    try:
        write = out.write
        for text, kind, stands_for in generator.lines(arguments.n):
            write(text)
            write("\n")
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "repeated_failed_password":
                repeated_failures += stands_for
    finally:
        if out is not sys.stdout:
            out.close()
    if arguments.counts:
        truth = {"total": arguments.n}
        truth.update(sorted(counts.items()))
        truth["repeated_failures"] = repeated_failures
        with open(arguments.counts, "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
