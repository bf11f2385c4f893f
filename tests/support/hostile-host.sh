#!/bin/bash
# A compromised VPS for the test suite: the sshd ForceCommand of a fleet
# started with CHOM_FLEET_FORCE_COMMAND (see scripts/services/sshd-fleet.sh
# and tests/support/HostileHost.h). Each session reads the first line of
# $CHOM_AGENT_ROOT/hostile-mode and plays that part; with no such file it
# behaves like an honest host and runs the requested command.
#
#   flood-lines BYTES [err]  BYTES of 64-byte lines on stdout (or stderr), then exit 0
#   flood-raw BYTES          BYTES without a single newline on stdout, then exit 0
#   reply [STATUS]           $CHOM_AGENT_ROOT/hostile-reply verbatim on stdout, exit STATUS (0);
#                            what arrived on stdin is kept in $CHOM_AGENT_ROOT/hostile-stdin
#   hang                     says nothing and never exits
#   login-shell PATH         runs the command honestly, with SHELL=PATH (a non-POSIX login shell)
#
# The console's session set-up probe (it asks for $SHELL) is answered
# honestly in every mode but login-shell, so each mode reaches the command.
# Every session appends the command it was asked to run to
# $CHOM_AGENT_ROOT/hostile-commands, so tests can see what crossed the wire.
set -u
root=${CHOM_AGENT_ROOT:?}
cmd=${SSH_ORIGINAL_COMMAND-}
printf '%s\n' "$cmd" >>"$root/hostile-commands" 2>/dev/null
mode=
[[ -r $root/hostile-mode ]] && read -r mode arg rest <"$root/hostile-mode"
line=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
# shellcheck disable=SC2016 # the probe's text, literally
if [[ $cmd == 'echo "chom-login-shell:$SHELL"' && $mode != login-shell ]]; then
    exec /bin/sh -c "$cmd"
fi
case ${mode:-honest} in
flood-lines)
    if [[ ${rest-} == err ]]; then
        yes "$line" | head -c "$arg" >&2
    else
        yes "$line" | head -c "$arg"
    fi
    exit 0
    ;;
flood-raw)
    head -c "$arg" /dev/zero | tr '\0' x
    exit 0
    ;;
reply)
    cat >"$root/hostile-stdin"
    cat "$root/hostile-reply"
    exit "${arg:-0}"
    ;;
hang) exec sleep 3600 ;;
login-shell) SHELL=$arg exec /bin/sh -c "$cmd" ;;
*) exec /bin/sh -c "$cmd" ;;
esac
