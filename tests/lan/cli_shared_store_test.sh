#!/bin/bash
# Several programs on ONE device's store in LAN mode, as real processes (issue 18): a `kiosk sync`
# daemon and a `kiosk status` loop run on kiosk-a's store while `kiosk issue` processes issue
# there, and kiosk-b (another device) issues at the same time. Every number printed is printed
# once, and together they are exactly the stream's numbers 1..N (a misnumbered ticket would
# repeat another device's number). Then a process that dies after recording a ticket leaves it
# listed by `kiosk status`, and the running daemon publishes it.
# Usage: cli_shared_store_test.sh KIOSK_BINARY SOURCE_ASSETS
set -u
KIOSK=$1
ASSETS=$2
DIR=$(mktemp -d /tmp/csc-cli-shared-XXXXXX)
PORT=$(( 36000 + ($$ % 5000) * 2 ))
while (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do PORT=$((PORT + 2)); done
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

PATH=/usr/sbin:$PATH nats-server -a 127.0.0.1 -p "$PORT" -js -sd "$DIR/js" > "$DIR/server.log" 2>&1 &
PIDS+=($!)
for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

make_config() {  # NAME INDEX
    sed 's/^\(monday\|tuesday\|wednesday\|thursday\|friday\|saturday\) *=.*//' "$ASSETS/site/office.toml" > "$DIR/$1.toml"
    sed -i 's/^\[hours\]/[hours]\nmonday = ["00:00-24:00"]\ntuesday = ["00:00-24:00"]\nwednesday = ["00:00-24:00"]\nthursday = ["00:00-24:00"]\nfriday = ["00:00-24:00"]\nsaturday = ["00:00-24:00"]\nsunday = ["00:00-24:00"]\nnational_holidays = false/' "$DIR/$1.toml"
    # the closed days, written on one line or over several
    sed -i -e '/^closed = \[.*\]/d' -e '/^closed = \[/,/^\]/d' "$DIR/$1.toml"
    printf '\n[sync]\nservers = ["nats://127.0.0.1:%s"]\ndevice_index = %s\nstream = "SHARED"\nsubject = "shared.events"\n' "$PORT" "$2" >> "$DIR/$1.toml"
}
make_config kiosk-a 1
make_config kiosk-b 2
run() { local n=$1; shift; CSC_ASSETS=$ASSETS "$KIOSK" --config "$DIR/$n.toml" --data "$DIR/$n" --device "$n" "$@"; }
# For `... &` when $! must be the kiosk process itself (it is signalled): a function run in the
# background is a bash subshell that forks the program, so without the exec the signals reach
# that bash, never the program (and the program outlives the test).
run_exec() { local n=$1; shift; CSC_ASSETS=$ASSETS exec "$KIOSK" --config "$DIR/$n.toml" --data "$DIR/$n" --device "$n" "$@"; }

run kiosk-a sync --until-caught-up --for-ms 20000 >/dev/null 2>&1 || fail "first sync"
run_exec kiosk-a sync > "$DIR/daemon.out" 2> "$DIR/daemon.err" &
DAEMON=$!
PIDS+=($DAEMON)
( while :; do run kiosk-a status > /dev/null 2>&1; done ) &
PIDS+=($!)
( for i in $(seq 20); do run kiosk-b issue --sector anagrafe --service certificati --no-print 2>>"$DIR/err"; done ) > "$DIR/b.labels" &
BISSUER=$!
N=20
for i in $(seq $N); do
    run kiosk-a issue --sector anagrafe --service certificati --no-print --json 2>>"$DIR/err" >> "$DIR/a.json" \
        || fail "kiosk-a issue $i: $(tail -3 "$DIR/err")"
done
echo "kiosk-a issued $N at $(date +%T)" 
wait $BISSUER
grep -q '"offline":true' "$DIR/a.json" && fail "an offline ticket on a healthy server: $(grep '"offline":true' "$DIR/a.json")"
sed 's/.*"number":"\([A-Z0-9]*\)".*/\1/' "$DIR/a.json" > "$DIR/a.labels"
TOTAL=$(cat "$DIR/a.labels" "$DIR/b.labels" | wc -l)
DUPS=$(cat "$DIR/a.labels" "$DIR/b.labels" | sort | uniq -d | tr '\n' ' ')
[ -z "$DUPS" ] || fail "numbers printed twice: $DUPS"
EXPECTED=$(for i in $(seq "$TOTAL"); do printf 'A%03d\n' "$i"; done)
[ "$(cat "$DIR/a.labels" "$DIR/b.labels" | sort)" = "$EXPECTED" ] || fail "printed numbers are not the stream's 1..$TOTAL: $(cat "$DIR/a.labels" "$DIR/b.labels" | sort | tr '\n' ' ')"
echo "ok: $TOTAL tickets (kiosk-a $N with a sync daemon and a status loop on its store), none printed twice"

# A `kiosk issue` killed before it reports (SIGKILL while it waits for the cluster): its ticket, if
# recorded, is listed by `kiosk status` as never reported, and the daemon publishes it.
kill -STOP $DAEMON
run_exec kiosk-a issue --sector protocollo --no-print > "$DIR/killed.out" 2>/dev/null &
VICTIM=$!
sleep 0.6
kill -9 $VICTIM 2>/dev/null
wait $VICTIM 2>/dev/null
kill -CONT $DAEMON
if [ ! -s "$DIR/killed.out" ]; then
    run kiosk-a status > "$DIR/status.after" 2>/dev/null
    echo "after the kill: $(grep -i 'never reported\|not yet in' "$DIR/status.after" || echo 'no ticket was recorded before the kill')"
fi
kill -TERM $DAEMON
for i in $(seq 100); do kill -0 $DAEMON 2>/dev/null || break; sleep 0.1; done
if kill -0 $DAEMON 2>/dev/null; then
    # Slow or hung? Wait 20 s more so that the failure says which (its stderr names the step).
    for i in $(seq 200); do kill -0 $DAEMON 2>/dev/null || break; sleep 0.1; done
    if kill -0 $DAEMON 2>/dev/null; then
        late="still running 30 s after"
        # Hung: where each thread waits (gdb when present, else the kernel's wait channel).
        if command -v gdb >/dev/null; then
            gdb -p $DAEMON -batch -ex "thread apply all bt 12" 2>/dev/null | grep -E '^(Thread|#)' | head -120
        else
            for t in /proc/$DAEMON/task/*; do echo "thread ${t##*/}: $(cat $t/wchan 2>/dev/null) $(cat $t/comm)"; done
        fi
    else late="stopped only $((10 + i / 10)) s after"; fi
    fail "the sync daemon did not stop within 10 s of SIGTERM ($late): $(tail -5 "$DIR/daemon.err")"
fi
wait $DAEMON 2>/dev/null
run kiosk-a sync --until-caught-up --for-ms 20000 --json > "$DIR/final.json" 2>/dev/null || fail "final sync: $(cat "$DIR/final.json")"
grep -q '"unconfirmed":0' "$DIR/final.json" || fail "own events left unpublished: $(cat "$DIR/final.json")"
HA=$(sed 's/.*"state_hash":"\([0-9a-f]*\)".*/\1/' "$DIR/final.json")
HB=$(run kiosk-b sync --until-caught-up --for-ms 20000 --json 2>/dev/null | sed 's/.*"state_hash":"\([0-9a-f]*\)".*/\1/')
[ "$HA" = "$HB" ] || fail "state_hash differs: $HA vs $HB"
echo "ok: both devices end with state_hash $HA"
