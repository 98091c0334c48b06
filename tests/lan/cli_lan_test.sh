#!/bin/bash
# The kiosk program in LAN mode, as processes: a single nats-server on 127.0.0.1, two kiosks
# (separate stores and configs) issuing through `kiosk issue`, then `kiosk status --json` on each
# reports online and the same state_hash; `kiosk sync --until-caught-up` works; a kiosk pointed
# at a dead server issues an offline ticket and says offline; a kiosk with another kiosk's
# device_index makes both say CONFLICT; `kiosk booking book` is decided by the stream before it
# returns (another kiosk lists it at once), a full slot exits 9 and an offline booking 10;
# `kiosk sync` purges the personal data of bookings past keep_days.
# Usage: cli_lan_test.sh KIOSK_BINARY SOURCE_ASSETS
set -u
KIOSK=$1
ASSETS=$2
DIR=$(mktemp -d /tmp/csc-cli-lan-XXXXXX)
PORT=$(( 30000 + ($$ % 5000) * 2 ))
while (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do PORT=$((PORT + 2)); done
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

PATH=/usr/sbin:$PATH nats-server -a 127.0.0.1 -p "$PORT" -js -sd "$DIR/js" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

make_config() {  # NAME INDEX URL
    sed 's/^\(monday\|tuesday\|wednesday\|thursday\|friday\|saturday\) *=.*//' "$ASSETS/site/office.toml" > "$DIR/$1.toml"
    # open every day, all day, and the [sync] table
    sed -i 's/^\[hours\]/[hours]\nmonday = ["00:00-24:00"]\ntuesday = ["00:00-24:00"]\nwednesday = ["00:00-24:00"]\nthursday = ["00:00-24:00"]\nfriday = ["00:00-24:00"]\nsaturday = ["00:00-24:00"]\nsunday = ["00:00-24:00"]\nnational_holidays = false/' "$DIR/$1.toml"
    # the closed days, written on one line or over several
    sed -i -e '/^closed = \[.*\]/d' -e '/^closed = \[/,/^\]/d' "$DIR/$1.toml"
    printf '\n[sync]\nservers = ["%s"]\ndevice_index = %s\nstream = "CLI"\nsubject = "cli.events"\nconfirm_timeout_ms = 1000\n' "$3" "$2" >> "$DIR/$1.toml"
}
make_config kiosk-a 1 "nats://127.0.0.1:$PORT"
make_config kiosk-b 2 "nats://127.0.0.1:$PORT"
make_config kiosk-c 3 "nats://127.0.0.1:$((PORT + 1))"   # nobody listens there
run() { local n=$1; shift; CSC_ASSETS=$ASSETS "$KIOSK" --config "$DIR/$n.toml" --data "$DIR/$n" --device "$n" "$@"; }

for i in 1 2 3; do
    run kiosk-a issue --sector anagrafe --service certificati --no-print > "$DIR/a$i" 2>>"$DIR/err" &
    PA=$!
    run kiosk-b issue --sector anagrafe --service certificati --no-print > "$DIR/b$i" 2>>"$DIR/err" &
    PB=$!
    wait $PA $PB
done
LABELS=$(cat "$DIR"/a? "$DIR"/b? | sort)
[ "$(echo "$LABELS" | tr '\n' ' ')" = "A001 A002 A003 A004 A005 A006 " ] || fail "online labels: $LABELS"

run kiosk-a sync --until-caught-up --for-ms 10000 --json > "$DIR/sync.json" || fail "kiosk sync: $(cat "$DIR/sync.json")"
SA=$(run kiosk-a status --json) || fail "status a"
SB=$(run kiosk-b status --json) || fail "status b"
echo "$SA" | grep -q '"online":true' || fail "kiosk-a not online: $SA"
# A stream that kept every message: the agenda is complete (docs/BOOKING.md, agenda snapshots).
echo "$SA" | grep -q '"agenda_complete":true' || fail "kiosk-a agenda not complete: $SA"
grep -q '"agenda_complete":true' "$DIR/sync.json" || fail "kiosk sync --json: agenda not complete: $(cat "$DIR/sync.json")"
HA=$(echo "$SA" | sed 's/.*"state_hash":"\([0-9a-f]*\)".*/\1/')
HB=$(echo "$SB" | sed 's/.*"state_hash":"\([0-9a-f]*\)".*/\1/')
[ "$HA" = "$HB" ] || fail "state_hash differs: $HA vs $HB"

# Offline (nobody listens: connection refused): decided at once, numbered per sector, and the
# JSON says so.
T0=$(date +%s%N)
C=$(run kiosk-c issue --sector anagrafe --service certificati --no-print 2>/dev/null) || fail "offline issue"
MS=$(( ($(date +%s%N) - T0) / 1000000 ))
[ "$C" = "A3001" ] || fail "offline label: $C"
[ "$MS" -lt 1500 ] || fail "deciding offline (refused) took $MS ms"
echo "offline decided (servers refuse): $MS ms for kiosk issue"
CJ=$(run kiosk-c issue --sector protocollo --json --no-print 2>/dev/null) || fail "offline issue C"
echo "$CJ" | grep -q '"number":"C3001"' || fail "offline numbers are not per sector: $CJ"
echo "$CJ" | grep -q '"offline":true' || fail "offline JSON lacks offline:true: $CJ"
C2=$(run kiosk-c issue --sector anagrafe --service certificati --no-print 2>/dev/null) || fail "offline issue 2"
[ "$C2" = "A3002" ] || fail "second offline label in A: $C2"
run kiosk-c status --json | grep -q '"online":false' || fail "kiosk-c should say offline"
run kiosk-c status > "$DIR/c.status" 2>/dev/null
grep -q "sync: OFFLINE" "$DIR/c.status" || fail "kiosk-c status line: $(cat "$DIR/c.status")"
grep -q " of 0 stream events" "$DIR/c.status" && fail "status line counts against an unknown stream: $(cat "$DIR/c.status")"
grep -q "unreachable" "$DIR/c.status" || fail "kiosk-c status does not say unreachable: $(cat "$DIR/c.status")"
grep -q "not yet in the office stream: A3001, C3001, A3002" "$DIR/c.status" || fail "queued tickets not listed: $(cat "$DIR/c.status")"
echo "$(run kiosk-a issue --sector anagrafe --service certificati --json --no-print 2>/dev/null)" | grep -q '"offline":false' || fail "online JSON lacks offline:false"
# Silent servers (a socket that accepts and never answers): decided within connect_timeout_ms.
python3 -c 'import socket,time,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",0)); s.listen(16)
print(s.getsockname()[1], flush=True); conns=[]
while True: c,_=s.accept(); conns.append(c)' > "$DIR/silent.port" &
SILENT_PID=$!
for i in $(seq 50); do [ -s "$DIR/silent.port" ] && break; sleep 0.1; done
make_config kiosk-s 4 "nats://127.0.0.1:$(cat "$DIR/silent.port")"
printf 'connect_timeout_ms = 500\n' >> "$DIR/kiosk-s.toml"
T0=$(date +%s%N)
S=$(run kiosk-s issue --sector anagrafe --service certificati --no-print 2>/dev/null) || fail "silent-server issue"
MS=$(( ($(date +%s%N) - T0) / 1000000 ))
kill $SILENT_PID 2>/dev/null
[ "$S" = "A4001" ] || fail "silent-server label: $S"
[ "$MS" -lt 2000 ] || fail "deciding offline (silent, connect_timeout_ms 500) took $MS ms"
echo "offline decided (server silent, connect_timeout_ms = 500): $MS ms for kiosk issue"
# A counter action publishes before the command returns: kiosk-b sees it at once.
run kiosk-a counter open --counter 1 --json > "$DIR/open.json" 2>"$DIR/open.err" || fail "counter open: $(cat "$DIR/open.err")"
grep -q '"confirmed":true' "$DIR/open.json" || fail "counter open not confirmed: $(cat "$DIR/open.json")"
run kiosk-a counter call --counter 1 --json > "$DIR/call.json" 2>"$DIR/call.err" || fail "counter call: $(cat "$DIR/call.err")"
grep -q '"number":"A001"' "$DIR/call.json" || fail "counter call: $(cat "$DIR/call.json")"
run kiosk-b status --json | grep -q '"ticket":"A001"' || fail "kiosk-b does not see counter 1's call: $(run kiosk-b status --json)"
# Offline, the counter says its action stays queued.
run kiosk-c counter open --counter 2 > "$DIR/copen.out" 2>"$DIR/copen.err" || fail "offline counter open"
grep -q "stays queued" "$DIR/copen.err" || fail "offline counter action does not say queued: $(cat "$DIR/copen.err")"
# A fourth kiosk configured with kiosk-a's device_index: both say CONFLICT in `kiosk status`.
make_config kiosk-d 1 "nats://127.0.0.1:$PORT"
run kiosk-d status > "$DIR/d.status" 2>"$DIR/d.err" || fail "status d"
grep -q "CONFLICT: device_index 1 is also used by kiosk-a" "$DIR/d.status" || fail "kiosk-d status: $(cat "$DIR/d.status")"
grep -q "CONFLICT" "$DIR/d.err" || fail "kiosk-d log: $(cat "$DIR/d.err")"
run kiosk-a status 2>/dev/null | grep -q "CONFLICT: device_index 1 is also used by kiosk-d" || fail "kiosk-a does not see the conflict"
run kiosk-a status --json 2>/dev/null | grep -q '"sync_conflict":"device_index 1' || fail "kiosk-a status --json"
# Appointments (issue 11). `kiosk booking book` returns once the stream decided: kiosk-b's
# `booking list` sees the booking right after; the slot's last place goes once (exit 9, "is
# full"); offline, kiosk-c reads its agenda but cannot book (exit 10, nothing queued).
SLOTS=$(run kiosk-a booking slots --service carta-identita --days 21 --json 2>"$DIR/slots.err") || fail "booking slots: $(cat "$DIR/slots.err")"
SLOT=$(echo "$SLOTS" | python3 -c 'import json,sys
free=[s["at"].replace("T"," ") for s in json.load(sys.stdin)["slots"] if s["open"] and s["free"]==s["capacity"]==2]
print(free[0] if free else "")')
[ -n "$SLOT" ] || fail "no free slot of carta-identita in 21 days: $SLOTS"
T0=$(date +%s%N)
B1=$(run kiosk-a booking book --service carta-identita --at "$SLOT" --name "Mario Rossi" --json --no-print 2>"$DIR/book.err") || fail "booking book: $(cat "$DIR/book.err")"
MS=$(( ($(date +%s%N) - T0) / 1000000 ))
CODE1=$(echo "$B1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])') || fail "booking book --json: $B1"
run kiosk-b booking list --date "${SLOT% *}" --json > "$DIR/list.json" 2>"$DIR/list.err" || fail "booking list: $(cat "$DIR/list.err")"
grep -q "\"code\":\"$CODE1\"" "$DIR/list.json" || fail "kiosk-b does not see kiosk-a's booking $CODE1 right after: $(cat "$DIR/list.json")"
run kiosk-b booking book --service carta-identita --at "$SLOT" --name "Luisa Verdi" --no-print > /dev/null 2>"$DIR/book2.err" || fail "second place: $(cat "$DIR/book2.err")"
run kiosk-a booking book --service carta-identita --at "$SLOT" --name "Paolo Neri" --no-print > /dev/null 2>"$DIR/full.err"
RC=$?
[ "$RC" -eq 9 ] || fail "booking a full slot: exit $RC (expected 9): $(cat "$DIR/full.err")"
grep -q "is full" "$DIR/full.err" || fail "a full slot does not say so: $(cat "$DIR/full.err")"
grep -q "next free" "$DIR/full.err" || fail "a full slot offers no other slot: $(cat "$DIR/full.err")"
run kiosk-c booking list --date "${SLOT% *}" --json > "$DIR/clist.json" 2>"$DIR/clist.err" || fail "offline booking list: $(cat "$DIR/clist.err")"
queued() { run kiosk-c sync --for-ms 300 --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["unconfirmed"])'; }
Q0=$(queued)
run kiosk-c booking book --service carta-identita --at "$SLOT" --name "Carla Bruni" --no-print > /dev/null 2>"$DIR/coff.err"
RC=$?
[ "$RC" -eq 10 ] || fail "offline booking: exit $RC (expected 10): $(cat "$DIR/coff.err")"
grep -q "only online" "$DIR/coff.err" || fail "offline booking does not say why: $(cat "$DIR/coff.err")"
Q1=$(queued)
[ -n "$Q0" ] && [ "$Q0" = "$Q1" ] || fail "an offline booking queued something: unconfirmed $Q0 -> $Q1"
# `kiosk sync` forgets personal data too (issue 11). Another device's booking of 5 October
# (made on 1 October) and its ticket of today, published straight onto a stream of kiosk-e's
# own (a device with its clock set elsewhere could not record them: clock alarm, quarantine):
# applying today's ticket rolls the agenda past keep_days (30) after the booking's day, so its
# name, which kiosk-e stored with the stream's events, must go from its store when it syncs.
make_config kiosk-e 5 "nats://127.0.0.1:$PORT"
sed -i -e 's/^stream = "CLI"/stream = "PURGE"/' -e 's/^subject = "cli.events"/subject = "purge.events"/' "$DIR/kiosk-e.toml"
run kiosk-e status > /dev/null 2>&1  # creates the stream
python3 - "$PORT" "$CODE1" <<'PY' || fail "publishing relay-x's events"
import datetime, json, socket, sys, time
port, code = int(sys.argv[1]), sys.argv[2]
utc = datetime.timezone.utc
ms = lambda *a: int(datetime.datetime(*a, tzinfo=utc).timestamp() * 1000)
events = [("booking.made", ms(2026, 10, 1, 7, 0), {"code": code, "service": "carta-identita", "slot": ms(2026, 10, 5, 6, 30),
           "hold": "", "name": "Gianfranca Zappalorto", "contact": "", "person": "pk-z", "lang": "it", "channel": "web"}),
          ("ticket.issued", int(time.time() * 1000), {"sector": "protocollo", "service": "", "priority": "", "lang": "it",
           "channel": "kiosk"})]
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.recv(4096)  # INFO
out = b'CONNECT {"verbose":false,"pedantic":false}\r\n'
for seq, (kind, t, body) in enumerate(events, 1):
    e = json.dumps({"v": 1, "id": "relay-x:%d" % seq, "device": "relay-x", "seq": seq, "time": t, "type": kind, "body": body},
                   separators=(",", ":")).encode()
    out += b"PUB purge.events.relay-x %d\r\n%s\r\n" % (len(e), e)
s.sendall(out + b"PING\r\n")
got = b""
while b"PONG" not in got:
    got += s.recv(4096)
    if b"-ERR" in got:
        sys.exit("server: " + got.decode())
PY
run kiosk-e status > /dev/null 2>&1  # applies and stores them (no purge)
cat "$DIR"/kiosk-e/office.db* | grep -qa Zappalorto || fail "kiosk-e did not store relay-x's booking: $(run kiosk-e status --json 2>&1)"
run kiosk-e sync --until-caught-up --for-ms 5000 > /dev/null 2>"$DIR/esync.err" || fail "kiosk-e sync: $(cat "$DIR/esync.err")"
if cat "$DIR"/kiosk-e/office.db* | grep -qa Zappalorto; then fail "kiosk sync did not purge the name from kiosk-e's store: $(run kiosk-e booking purge --dry-run --json)"; fi
echo "booking: $CODE1 at $SLOT decided in $MS ms (kiosk booking book process); full slot exit 9; offline exit 10"
echo "ok: labels $(echo $LABELS), state_hash $HA, offline ticket $C"
