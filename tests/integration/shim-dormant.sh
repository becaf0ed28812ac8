#!/bin/sh
# A dormant shim is invisible: git, tar, sort, sqlite3 and a
# multi-threaded python3 program give byte-identical output (and status)
# with libinject preloaded and nothing armed, and without it. Also with
# rules armed that match nothing these programs do.
. "$abs_top_srcdir/tests/integration/init.sh"

# same NAME CMD...: run CMD plain, dormant, and armed-but-not-matching;
# outputs and statuses must be identical
same()
{
	name=$1
	shift
	"$@" >"$tmp/plain.out" 2>"$tmp/plain.err"
	s1=$?
	run_dormant "$@" >"$tmp/dormant.out" 2>"$tmp/dormant.err"
	s2=$?
	run_shim "%file:path=/nonexistent/*:error=EIO;%net:port=1:error=ECONNREFUSED;%mem:exe=no-such-program:error=ENOMEM" \
		"$@" >"$tmp/armed.out" 2>"$tmp/armed.err"
	s3=$?
	expect_eq "$name: status dormant" "$s1" "$s2"
	expect_eq "$name: status armed, not matching" "$s1" "$s3"
	cmp "$tmp/plain.out" "$tmp/dormant.out" || fail_ "$name: stdout differs when dormant"
	cmp "$tmp/plain.err" "$tmp/dormant.err" || fail_ "$name: stderr differs when dormant: $(cat "$tmp/dormant.err")"
	cmp "$tmp/plain.out" "$tmp/armed.out" || fail_ "$name: stdout differs when armed"
	cmp "$tmp/plain.err" "$tmp/armed.err" || fail_ "$name: stderr differs when armed: $(cat "$tmp/armed.err")"
	[ -s "$tmp/plain.out" ] || fail_ "$name: no output at all, a poor comparison"
	echo "ok: $name: identical ($(wc -c <"$tmp/plain.out" | tr -d ' ') bytes)"
}

missing=
# sort: a few thousand lines
i=0
: >lines
seq 1 3000 | awk '{ print ($1 * 7919) % 3001, "line", $1 }' >lines
same "sort" sort lines
same "sort -n -r" sort -n -r lines
same "cat" cat lines

# tar: create (reproducibly) and list
if command -v tar >/dev/null 2>&1; then
	mkdir -p tree/a/b && cp lines tree/a/b/ && echo x >tree/a/x
	same "tar create" tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		-cf - tree
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf t.tar tree
	same "tar list" tar -tvf t.tar
else
	missing="$missing tar"
fi

# git: init, commit, log in a repository of our own, dates fixed
if command -v git >/dev/null 2>&1; then
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
		GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org \
		GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' \
		GIT_COMMITTER_DATE='2020-01-01T00:00:00Z' \
		GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
	for mode in plain dormant; do
		rm -rf "repo-$mode"
		if [ $mode = plain ]; then pre=; else pre=run_dormant; fi
		$pre git init -q -b main "repo-$mode" &&
		cp lines "repo-$mode/" &&
		$pre git -C "repo-$mode" add lines &&
		$pre git -C "repo-$mode" commit -q -m "first" &&
		echo more >>"repo-$mode/lines" &&
		$pre git -C "repo-$mode" commit -q -a -m "second" ||
			fail_ "git ($mode) failed"
	done
	expect_eq "git: the same commit made dormant" \
		"$(git -C repo-plain rev-parse HEAD)" "$(git -C repo-dormant rev-parse HEAD)"
	cd repo-plain || framework_failure_ "cd repo-plain"
	same "git log" git log --stat -p
	same "git status" git status --porcelain=v2 --branch
	cd "$tmp" || framework_failure_ "cd $tmp"
else
	missing="$missing git"
fi

# sqlite3
if command -v sqlite3 >/dev/null 2>&1; then
	rm -f s.db
	sqlite3 s.db 'create table t(k integer primary key, v text);' ||
		framework_failure_ "sqlite3 cannot create a database"
	{ echo 'begin;'
	  awk '{ printf "insert into t(v) values (\x27%s\x27);\n", $0 }' lines
	  echo 'commit;'; } >ins.sql
	run_dormant sqlite3 s.db <ins.sql || fail_ "sqlite3 insert, dormant"
	same "sqlite3 select" sqlite3 s.db 'select count(*), sum(length(v)) from t; select * from t order by v limit 50;'
	same "sqlite3 integrity" sqlite3 s.db 'pragma integrity_check;'
else
	missing="$missing sqlite3"
fi

# a multi-threaded python3 program (threads, a lock, a queue, files)
if [ -n "$PYTHON" ]; then
	cat >threads.py <<'EOT'
import hashlib, os, queue, sys, threading, tempfile
q = queue.Queue()
lock = threading.Lock()
results = {}
d = tempfile.mkdtemp(dir=sys.argv[1])
def work(n):
    h = hashlib.sha256()
    p = os.path.join(d, "f%d" % n)
    with open(p, "w") as f:
        for i in range(2000):
            f.write("%d %d\n" % (n, i))
    with open(p) as f:
        h.update(f.read().encode())
    with lock:
        results[n] = h.hexdigest()
    q.put(n)
ts = [threading.Thread(target=work, args=(n,)) for n in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(q.get() for _ in range(8)))
for n in sorted(results): print(n, results[n])
EOT
	mkdir py
	same "python3 threads" "$PYTHON" threads.py "$tmp/py"
else
	missing="$missing python3"
fi
[ -z "$missing" ] || skip_ "the rest identical; not installed:$missing"
exit 0
