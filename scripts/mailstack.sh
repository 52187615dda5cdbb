#!/usr/bin/env bash
# The local mail stack the end-to-end tests stand on: Debian's Postfix and Dovecot (IMAP, POP3) on 127.0.0.1 only,
# test-only credentials, nothing leaves the machine. Agreed layout (do not change one side alone):
#   SMTP 127.0.0.1:2525 (no auth, mynetworks 127.0.0.0/8), IMAP 127.0.0.1:1143, POP3 127.0.0.1:1110 (plaintext).
#   bounces.test  mailbox domain; bounces+TOKEN@bounces.test reaches user "bounces" (recipient_delimiter +)
#   ok.test       any local part is delivered to user "inbox"
#   nouser.test   accepted, then Postfix writes a real RFC 3464 DSN (5.1.1) to the envelope sender
#   reject.test   550 5.1.1 at RCPT (unknown user in a virtual alias domain)
#   defer.test    450 4.2.1 at RCPT (check_recipient_access)
#   anything else refused at RCPT (default_transport and relay_transport are error:)
#   users: bounces / bounces-test-only, inbox / inbox-test-only; Maildirs under /var/mail/bounces-test/USER/Maildir
#
# Usage (as root, Debian 12, no systemd needed): scripts/mailstack.sh start|status|stop
#   start   installs postfix, dovecot-imapd, dovecot-pop3d when missing, writes the configuration, starts both
#           servers or reloads them when already running, and waits until the three ports answer. Idempotent.
#   status  prints what runs and which ports answer; exit 0 only when all three ports answer.
#   stop    stops both servers.
set -euo pipefail
shopt -s inherit_errexit

SMTP_PORT=2525
IMAP_PORT=1143
POP3_PORT=1110
MAIL_USER=bouncetest                         # owner of the Maildirs (a system account, no login)
MAIL_ROOT=/var/mail/bounces-test
CONF_DIR=/etc/bouncedashboard-mailstack       # our own files: Dovecot's config, users, Postfix maps
DOVECOT_CONF=$CONF_DIR/dovecot.conf
DOVECOT_BASE=/run/bouncedashboard-dovecot
POSTFIX_LOG=/var/log/bouncedashboard-postfix.log
DOVECOT_LOG=/var/log/bouncedashboard-dovecot.log
USERS=("bounces:bounces-test-only" "inbox:inbox-test-only")

log() { echo "mailstack: $*"; }
die() { echo "mailstack: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_root() { [ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and writes /etc/postfix)"; }

packages_missing() {
    local p missing=()
    for p in postfix dovecot-imapd dovecot-pop3d; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    echo "${missing[@]:-}"
}

install_packages() {
    local missing
    missing=$(packages_missing)
    [ -n "$missing" ] || return 0
    log "installing $missing"
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string mail.bounces.test" | debconf-set-selections

    # No service may start during the install (Dovecot's default config would take ports 110/143).
    local policy=/usr/sbin/policy-rc.d backup=""
    if [ -e "$policy" ]; then
        backup=$(mktemp)
        cp -p "$policy" "$backup"
    fi
    # shellcheck disable=SC2064 # expand now: restore exactly this backup
    trap "restore_policy '$backup'" EXIT
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"

    export DEBIAN_FRONTEND=noninteractive
    apt-cache show postfix dovecot-imapd dovecot-pop3d >/dev/null 2>&1 || apt-get update
    # shellcheck disable=SC2086 # a list of package names
    if ! apt-get install -y --no-install-recommends $missing; then
        apt-get update
        # shellcheck disable=SC2086
        apt-get install -y --no-install-recommends $missing
    fi
    restore_policy "$backup"
    trap - EXIT
}

restore_policy() {
    local backup=$1 policy=/usr/sbin/policy-rc.d
    if [ -n "$backup" ] && [ -f "$backup" ]; then
        cp -p "$backup" "$policy"
        rm -f "$backup"
    else
        rm -f "$policy"
    fi
}

ensure_mail_user() {
    if ! getent passwd "$MAIL_USER" >/dev/null; then
        useradd --system --user-group --home-dir "$MAIL_ROOT" --no-create-home --shell /usr/sbin/nologin "$MAIL_USER"
    fi
    local u
    install -d -m 0755 "$MAIL_ROOT"
    for u in "${USERS[@]}"; do
        install -d -m 0700 -o "$MAIL_USER" -g "$MAIL_USER" "$MAIL_ROOT/${u%%:*}"
    done
}

# Writes $2 to $1 only when the content differs; prints "changed" then.
write_if_changed() {
    local file=$1 content=$2
    if [ ! -f "$file" ] || [ "$(cat "$file")" != "$content" ]; then
        printf '%s\n' "$content" >"$file"
        echo changed
    fi
}

configure_postfix() {
    local uid gid changed=""
    uid=$(id -u "$MAIL_USER")
    gid=$(id -g "$MAIL_USER")
    install -d -m 0755 "$CONF_DIR"

    changed+=$(write_if_changed "$CONF_DIR/virtual_mailboxes" "bounces@bounces.test bounces/Maildir/
inbox@bounces.test inbox/Maildir/")
    changed+=$(write_if_changed "$CONF_DIR/virtual_aliases" "@ok.test inbox@bounces.test")
    changed+=$(write_if_changed "$CONF_DIR/recipient_access" "defer.test 450 4.2.1 Mailbox temporarily unavailable (test domain defer.test)")

    # Only what differs is written: postconf rewrites the file on every -e/-M/-F, and Postfix commands that read a
    # main.cf modified within the last second wait for it to settle (about 1.5 s on every start otherwise).
    local settings=(
        "compatibility_level=3.6"
        "myhostname=mail.bounces.test"
        "mydomain=bounces.test"
        "myorigin=bounces.test"
        "inet_interfaces=127.0.0.1"
        "inet_protocols=ipv4"
        "mynetworks=127.0.0.0/8"
        "mynetworks_style=host"
        "mydestination=nouser.test"
        "local_recipient_maps="
        "alias_maps="
        "alias_database="
        "relayhost="
        "relay_domains="
        "recipient_delimiter=+"
        "virtual_mailbox_domains=bounces.test"
        "virtual_mailbox_base=$MAIL_ROOT"
        "virtual_mailbox_maps=texthash:$CONF_DIR/virtual_mailboxes"
        "virtual_uid_maps=static:$uid"
        "virtual_gid_maps=static:$gid"
        "virtual_minimum_uid=$uid"
        "virtual_alias_domains=ok.test, reject.test"
        "virtual_alias_maps=texthash:$CONF_DIR/virtual_aliases"
        "default_transport=error:5.4.4 outside the test domains: this mail stack delivers nothing off the machine"
        "relay_transport=error:5.4.4 outside the test domains: this mail stack delivers nothing off the machine"
        "smtpd_recipient_restrictions=check_recipient_access texthash:$CONF_DIR/recipient_access, permit_mynetworks, reject_unauth_destination"
        "smtpd_relay_restrictions=permit_mynetworks, reject_unauth_destination"
        "smtpd_banner=\$myhostname ESMTP BounceDashboard test stack"
        "smtpd_error_sleep_time=0"
        "smtpd_soft_error_limit=1000"
        "smtpd_hard_error_limit=1000"
        "smtpd_tls_security_level=none"
        "smtp_tls_security_level=none"
        "queue_run_delay=5s"
        "minimal_backoff_time=5s"
        "maximal_backoff_time=30s"
        "delay_warning_time=1m"
        "maximal_queue_lifetime=5m"
        "bounce_queue_lifetime=5m"
        "in_flow_delay=0"
        "biff=no"
        "append_dot_mydomain=no"
        "maillog_file=$POSTFIX_LOG"
    )
    local names=() setting current=() edits=() i=0
    for setting in "${settings[@]}"; do names+=("${setting%%=*}"); done
    mapfile -t current < <(postconf -h "${names[@]}")
    for setting in "${settings[@]}"; do
        [ "${current[$i]-}" = "${setting#*=}" ] || edits+=("${setting%%=*} = ${setting#*=}")
        i=$((i + 1))
    done
    if [ "${#edits[@]}" -gt 0 ]; then
        postconf -e "${edits[@]}"
        changed+=changed
    fi

    # Our SMTP listener on 127.0.0.1:2525 replaces the default one on port 25; no service in a chroot; a postlog
    # service for maillog_file (there is no syslog).
    if [ -n "$(postconf -M smtp/inet 2>/dev/null)" ]; then
        postconf -MX smtp/inet
        changed+=changed
    fi
    local listener="127.0.0.1:$SMTP_PORT inet n - n - - smtpd"
    if [ "$(postconf -M "127.0.0.1:$SMTP_PORT/inet" 2>/dev/null | tr -s ' \t' ' ')" != "$listener" ]; then
        postconf -M "127.0.0.1:$SMTP_PORT/inet=$listener"
        changed+=changed
    fi
    if postconf -F '*/*/chroot' | grep -qv '= n$'; then
        postconf -F '*/*/chroot = n'
        changed+=changed
    fi
    if [ -z "$(postconf -M postlog/unix-dgram 2>/dev/null)" ]; then
        postconf -M "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd"
        changed+=changed
    fi
    postfix check
    [ -z "$changed" ] || echo changed
}

configure_dovecot() {
    local uid gid users="" u changed=""
    uid=$(id -u "$MAIL_USER")
    gid=$(id -g "$MAIL_USER")
    install -d -m 0755 "$CONF_DIR"
    for u in "${USERS[@]}"; do
        users+="${u%%:*}:{PLAIN}${u#*:}:$uid:$gid::$MAIL_ROOT/${u%%:*}::"$'\n'
    done
    changed+=$(write_if_changed "$CONF_DIR/dovecot-users" "${users%$'\n'}")
    chown root:dovecot "$CONF_DIR/dovecot-users"
    chmod 0640 "$CONF_DIR/dovecot-users"

    changed+=$(write_if_changed "$DOVECOT_CONF" "# BounceDashboard test mail stack (scripts/mailstack.sh): standalone, loopback only, test-only users.
# Written by the script; edits are overwritten. Does not read /etc/dovecot.
base_dir = $DOVECOT_BASE
state_dir = /var/lib/bouncedashboard-dovecot
instance_name = bouncedashboard-dovecot
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $DOVECOT_LOG
mail_location = maildir:~/Maildir
first_valid_uid = $uid
last_valid_uid = $uid
pop3_uidl_format = %08Xu%08Xv

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $CONF_DIR/dovecot-users
}
userdb {
  driver = passwd-file
  args = username_format=%n $CONF_DIR/dovecot-users
}

namespace inbox {
  inbox = yes
  mailbox Processed {
    auto = create
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = 0
  }
}")
    install -d -m 0755 /var/lib/bouncedashboard-dovecot
    doveconf -c "$DOVECOT_CONF" -n >/dev/null
    [ -z "$changed" ] || echo changed
}

postfix_running() { postfix status >/dev/null 2>&1; }
dovecot_running() {
    [ -f "$DOVECOT_BASE/master.pid" ] && kill -0 "$(cat "$DOVECOT_BASE/master.pid")" 2>/dev/null
}

wait_for_ports() {
    local port deadline=$((SECONDS + 30))
    for port in "$SMTP_PORT" "$IMAP_PORT" "$POP3_PORT"; do
        until port_open "$port"; do
            [ "$SECONDS" -lt "$deadline" ] || die "127.0.0.1:$port does not answer after 30 s (see $POSTFIX_LOG, $DOVECOT_LOG)"
            sleep 0.2
        done
    done
}

start() {
    require_root
    install_packages
    ensure_mail_user
    local postfix_changed dovecot_changed
    postfix_changed=$(configure_postfix)
    dovecot_changed=$(configure_dovecot)

    if ! postfix_running; then
        log "starting postfix"
        postfix start </dev/null >/dev/null 2>&1 || die "postfix did not start (see $POSTFIX_LOG)"
    elif [ -n "$postfix_changed" ]; then
        log "postfix configuration changed: reloading"
        postfix reload
    else
        log "postfix already running"
    fi

    if ! dovecot_running; then
        log "starting dovecot"
        # Dovecot's master keeps the stderr it starts with: never the caller's, or a caller reading this script's
        # output through a pipe (CI logs, $(...)) would wait for it forever.
        dovecot -c "$DOVECOT_CONF" </dev/null >>"$DOVECOT_LOG" 2>&1 || die "dovecot did not start (see $DOVECOT_LOG)"
    elif [ -n "$dovecot_changed" ]; then
        log "dovecot configuration changed: reloading"
        doveadm -c "$DOVECOT_CONF" reload
    else
        log "dovecot already running"
    fi

    wait_for_ports
    log "ready: SMTP 127.0.0.1:$SMTP_PORT, IMAP 127.0.0.1:$IMAP_PORT, POP3 127.0.0.1:$POP3_PORT"
}

status() {
    local ok=0 port
    if command -v postfix >/dev/null && postfix_running; then log "postfix running"; else log "postfix not running"; ok=1; fi
    if dovecot_running; then log "dovecot running (pid $(cat "$DOVECOT_BASE/master.pid"))"; else log "dovecot not running"; ok=1; fi
    for port in "$SMTP_PORT" "$IMAP_PORT" "$POP3_PORT"; do
        if port_open "$port"; then log "127.0.0.1:$port answers"; else log "127.0.0.1:$port closed"; ok=1; fi
    done
    return "$ok"
}

stop() {
    require_root
    if command -v postfix >/dev/null && postfix_running; then
        log "stopping postfix"
        postfix stop
    fi
    if dovecot_running; then
        log "stopping dovecot"
        dovecot -c "$DOVECOT_CONF" stop
        local deadline=$((SECONDS + 10))
        while dovecot_running && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    fi
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    status) status ;;
    stop) stop ;;
    *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
