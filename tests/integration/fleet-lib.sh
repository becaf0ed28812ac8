# fleet-lib.sh: shared by the fleet-*.sh tests, which run the real
# playbooks of scenarios/fleet with the real ansible-playbook against an
# inventory of hosts on this machine (ansible_connection=local).
#
#	. "$abs_top_srcdir/tests/integration/fleet-lib.sh"
#
# Each host HOST has its own directory $tmp/HOST: run/ (its
# CHAOSD_RUNDIR), work/ (the scenario's copy and the run's reports), and
# its own service port (smoke_port). Ansible keeps everything it writes
# under $tmp (home, temporary and async directories), reads no
# configuration but ours, and talks to no network.
#
# fleet_inventory_ N [EXTRA...]: write $tmp/hosts.ini, hosts host1..hostN
#   in the group chaosd; EXTRA lines are added to [chaosd:vars]
# fleet_hostvar_ HOST 'k=v ...': add variables to HOST's line
# fleet_play_ STATUS PLAYBOOK ARGS...: ansible-playbook -i $tmp/hosts.ini
#   scenarios/fleet/PLAYBOOK ARGS (output in $tmp/play.out), fail unless
#   it exits with STATUS; $play_ms: how long it took
# fleet_smoke_gameday_ STATUS [ARGS...]: gameday.yml with
#   scenarios/fleet/smoke.ini.j2 in batches of 1, 2 and 1, the reports
#   fetched to $tmp/reports/HOST/
# fleet_merge_ FILE...: chaosd report merge FILE... (text in
#   $tmp/merged.txt, JSON in $tmp/merged.json)
# fleet_recap_ HOST FIELD: FIELD (ok, changed, failed...) of HOST's line in
#   the last play's recap
# fleet_nothing_armed_ HOST: fail unless chaosd status --json with HOST's
#   RUNDIR lists no armed table and no network fault, and its RUNDIR holds
#   no journal
. "$abs_top_srcdir/tests/integration/init.sh"
require_prog_ ansible-playbook
require_python_

FLEET=$abs_top_srcdir/scenarios/fleet
# relative paths given to the playbooks are from $PWD (init.sh: $tmp)
PWD=$(pwd)
export PWD
# Ansible refuses to run in a locale that is not UTF-8 (init.sh: C)
LC_ALL=C.UTF-8
export LC_ALL
export ANSIBLE_CONFIG="$tmp/ansible.cfg"
: >"$ANSIBLE_CONFIG"
export HOME="$tmp/home"
mkdir -p "$HOME"
export ANSIBLE_LOCAL_TEMP="$tmp/ansible/local" \
	ANSIBLE_REMOTE_TMP="$tmp/ansible/remote" \
	ANSIBLE_ASYNC_DIR="$tmp/ansible/async" \
	ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
	ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=0 \
	ANSIBLE_GATHERING=explicit XDG_CACHE_HOME="$tmp/cache"
unset ANSIBLE_INVENTORY ANSIBLE_ROLES_PATH ANSIBLE_STDOUT_CALLBACK
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

fleet_inventory_()
{
	fleet_n_=$1
	shift
	{
		echo '[chaosd]'
		for i in $(seq "$fleet_n_"); do
			h=host$i
			mkdir -p "$tmp/$h"
			echo "$h chaosd_rundir=$tmp/$h/run" \
				"chaosd_work_dir=$tmp/$h/work smoke_port=$(free_port)"
		done
		echo
		echo '[chaosd:vars]'
		echo 'ansible_connection=local'
		# Debian's python3, which has the apt module's python3-apt
		echo 'ansible_python_interpreter=/usr/bin/python3'
		echo 'ansible_become=false'
		echo "smoke_python=$PYTHON"
		# the smoke game day lasts about 3 s: polled every second,
		# not every 5 (the role's default), it ends 2-4 s sooner
		echo 'chaosd_run_poll=1'
		for line; do
			echo "$line"
		done
	} >"$tmp/hosts.ini"
}

fleet_hostvar_()
{
	sed -i "s|^$1 |$1 $2 |" "$tmp/hosts.ini"
}

fleet_play_()
{
	fleet_want_=$1 fleet_book_=$2
	shift 2
	fleet_t0_=$(now_ms)
	ansible-playbook -i "$tmp/hosts.ini" "$FLEET/$fleet_book_" "$@" \
		>"$tmp/play.out" 2>&1
	fleet_got_=$?
	play_ms=$(( $(now_ms) - fleet_t0_ ))
	if [ "$fleet_got_" != "$fleet_want_" ]; then
		cat "$tmp/play.out" >&2
		fail_ "ansible-playbook $fleet_book_ $*: exit $fleet_got_, expected $fleet_want_"
	fi
	printf 'ok: ansible-playbook %s: exit %s, %d ms\n' "$fleet_book_" \
		"$fleet_got_" "$play_ms"
}

fleet_smoke_gameday_()
{
	fleet_smoke_want_=$1
	shift
	fleet_play_ "$fleet_smoke_want_" gameday.yml \
		-e "chaosd_scenario=$FLEET/smoke.ini.j2" \
		-e '{"chaosd_serial": [1, 2, 1]}' \
		-e "chaosd_fetch_dir=$tmp/reports" "$@"
}

fleet_merge_()
{
	"$CHAOSD" report merge "$@" --report "json=$tmp/merged.json" \
		>"$tmp/merged.txt" 2>&1
}

fleet_recap_()
{
	sed -n "s/^$1 *:.* $2=\\([0-9]*\\).*/\\1/p" "$tmp/play.out"
}

fleet_nothing_armed_()
{
	CHAOSD_RUNDIR=$tmp/$1/run "$CHAOSD" status --json >"$tmp/status.json" ||
		fail_ "$1: chaosd status --json failed"
	"$PYTHON" -c 'import json, sys
s = json.load(open(sys.argv[1]))
armed = [t["path"] for t in s["tables"] if t.get("armed") and not t.get("killed")]
assert not armed, "armed tables: %s" % armed
assert not s["network"], "network faults: %s" % s["network"]' "$tmp/status.json" ||
		fail_ "$1: something is left armed"
	if ls "$tmp/$1/run"/*.journal >/dev/null 2>&1; then
		fail_ "$1: journal left in $tmp/$1/run"
	fi
	printf 'ok: %s: nothing armed, nothing journaled\n' "$1"
}
