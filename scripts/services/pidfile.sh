# shellcheck shell=bash
# Sourced by the test-stack scripts (webstack.sh, pebble.sh, tls-farm.sh):
# stopping a daemon of their own by its pid file.

# stop_pid_file FILE: TERM to the pid in FILE and up to 5 s for it to go,
# then KILL to it and to the children it had (an nginx master's workers).
# Nothing to do when FILE is missing or holds no pid.
stop_pid_file() {
    local pid children
    [[ -s $1 ]] || return 0
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    children=$(pgrep -P "$pid" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL "$pid" $children 2>/dev/null || true
}
