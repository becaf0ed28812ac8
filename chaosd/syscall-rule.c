/*
 * syscall-rule.c: syscall fault rules, as `chaosd exec -s` and
 * `[syscall.NAME]` scenario sections write them.
 *
 * One-line form, like the libc rules: SYSCALLS[:KEY=VALUE]..., rules
 * separated by ';', '\' escaping ':' ';' '\' inside a value:
 *
 *	openat,open:path=/srv/db*:error=EACCES
 *	getppid:after=1000000:error=EPERM
 *	write:arg0==1:delay=2s:jitter=100ms
 *	ioctl:arg1&0xff00==0x5400:nth=2:error=ENOTTY
 *	kill:signal=SIGSEGV   (a syscall named kill: any name comes first)
 *
 * Names are resolved by libseccomp for the native architecture. The key
 * and value entry point (syscall_rule_set_key) is what the scenario
 * parser calls, one key at a time, with syscall= naming the calls.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "syscall.h"

static const char *const sys_keys[] = {
	"syscall", "name", "error", "retval", "delay", "jitter", "signal",
	"kill", "probability", "nth", "after", "count", "path",
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5",
};
#define SYS_NKEYS ((int)(sizeof sys_keys / sizeof sys_keys[0]))

/*
 * Syscalls that name files, and which arguments do: the path, the
 * directory descriptor it is relative to (-1: the working directory),
 * and a second path for the two-path calls. path= looks at both.
 */
static const struct sys_path_call {
	const char	*name;
	signed char	 path, dirfd, path2, dirfd2;
} sys_path_calls[] = {
	{ "open", 0, -1, -1, -1 },
	{ "creat", 0, -1, -1, -1 },
	{ "openat", 1, 0, -1, -1 },
	{ "openat2", 1, 0, -1, -1 },
	{ "open_by_handle_at", -1, -1, -1, -1 },
	{ "stat", 0, -1, -1, -1 },
	{ "lstat", 0, -1, -1, -1 },
	{ "newfstatat", 1, 0, -1, -1 },
	{ "fstatat64", 1, 0, -1, -1 },
	{ "statx", 1, 0, -1, -1 },
	{ "statfs", 0, -1, -1, -1 },
	{ "access", 0, -1, -1, -1 },
	{ "faccessat", 1, 0, -1, -1 },
	{ "faccessat2", 1, 0, -1, -1 },
	{ "execve", 0, -1, -1, -1 },
	{ "execveat", 1, 0, -1, -1 },
	{ "chdir", 0, -1, -1, -1 },
	{ "chroot", 0, -1, -1, -1 },
	{ "mkdir", 0, -1, -1, -1 },
	{ "mkdirat", 1, 0, -1, -1 },
	{ "rmdir", 0, -1, -1, -1 },
	{ "unlink", 0, -1, -1, -1 },
	{ "unlinkat", 1, 0, -1, -1 },
	{ "rename", 0, -1, 1, -1 },
	{ "renameat", 1, 0, 3, 2 },
	{ "renameat2", 1, 0, 3, 2 },
	{ "link", 0, -1, 1, -1 },
	{ "linkat", 1, 0, 3, 2 },
	{ "symlink", 1, -1, -1, -1 },
	{ "symlinkat", 2, 1, -1, -1 },
	{ "readlink", 0, -1, -1, -1 },
	{ "readlinkat", 1, 0, -1, -1 },
	{ "truncate", 0, -1, -1, -1 },
	{ "chmod", 0, -1, -1, -1 },
	{ "fchmodat", 1, 0, -1, -1 },
	{ "fchmodat2", 1, 0, -1, -1 },
	{ "chown", 0, -1, -1, -1 },
	{ "lchown", 0, -1, -1, -1 },
	{ "fchownat", 1, 0, -1, -1 },
	{ "mknod", 0, -1, -1, -1 },
	{ "mknodat", 1, 0, -1, -1 },
	{ "utime", 0, -1, -1, -1 },
	{ "utimes", 0, -1, -1, -1 },
	{ "futimesat", 1, 0, -1, -1 },
	{ "utimensat", 1, 0, -1, -1 },
	{ "setxattr", 0, -1, -1, -1 },
	{ "lsetxattr", 0, -1, -1, -1 },
	{ "getxattr", 0, -1, -1, -1 },
	{ "lgetxattr", 0, -1, -1, -1 },
	{ "listxattr", 0, -1, -1, -1 },
	{ "llistxattr", 0, -1, -1, -1 },
	{ "removexattr", 0, -1, -1, -1 },
	{ "lremovexattr", 0, -1, -1, -1 },
	{ "inotify_add_watch", 1, -1, -1, -1 },
	{ "name_to_handle_at", 1, 0, -1, -1 },
	{ "mount", 1, -1, -1, -1 },
	{ "umount2", 0, -1, -1, -1 },
	{ "swapon", 0, -1, -1, -1 },
	{ "swapoff", 0, -1, -1, -1 },
	{ "acct", 0, -1, -1, -1 },
	{ "uselib", 0, -1, -1, -1 },
};

/* Per native number: path, dirfd, path2, dirfd2 (-1: none). */
static signed char	sys_pathtab[SYS_NR_MAX][4];
static pthread_once_t	sys_pathtab_once = PTHREAD_ONCE_INIT;

static void
sys_pathtab_init(void)
{
	size_t	i;
	int	nr;

	memset(sys_pathtab, -1, sizeof sys_pathtab);
	for (i = 0; i < sizeof sys_path_calls / sizeof sys_path_calls[0]; i++) {
		nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE,
		    sys_path_calls[i].name);
		if (nr < 0 || nr >= SYS_NR_MAX)
			continue;
		sys_pathtab[nr][0] = sys_path_calls[i].path;
		sys_pathtab[nr][1] = sys_path_calls[i].dirfd;
		sys_pathtab[nr][2] = sys_path_calls[i].path2;
		sys_pathtab[nr][3] = sys_path_calls[i].dirfd2;
	}
}

/* 1 if syscall nr takes a path; its argument indexes (-1: none). */
int
sys_path_args(int nr, int *path, int *dirfd, int *path2, int *dirfd2)
{
	pthread_once(&sys_pathtab_once, sys_pathtab_init);
	if (nr < 0 || nr >= SYS_NR_MAX || sys_pathtab[nr][0] < 0)
		return (0);
	*path = sys_pathtab[nr][0];
	*dirfd = sys_pathtab[nr][1];
	*path2 = sys_pathtab[nr][2];
	*dirfd2 = sys_pathtab[nr][3];
	return (1);
}

const char *
sys_name(int nr, char *buf, size_t len)
{
	char	*name;

	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	if (name != NULL) {
		strlcpy_chaos(buf, name, len);
		free(name);
	} else
		snprintf(buf, len, "syscall %d", nr);
	return (buf);
}

static const char *
sys_arch_name(void)
{
	switch (seccomp_arch_native()) {
	case SCMP_ARCH_X86_64:	return ("x86_64");
	case SCMP_ARCH_X86:	return ("x86");
	case SCMP_ARCH_AARCH64:	return ("aarch64");
	case SCMP_ARCH_ARM:	return ("arm");
	case SCMP_ARCH_RISCV64:	return ("riscv64");
	case SCMP_ARCH_PPC64LE:	return ("ppc64le");
	case SCMP_ARCH_S390X:	return ("s390x");
	default:		return ("this architecture");
	}
}

/* A native syscall number for a name (or a number), or -1 with err. */
int
sys_resolve(const char *name, char *err, size_t errlen)
{
	const char	*names[SYS_NR_MAX];
	char		*owned[SYS_NR_MAX];
	char		 esc[128];
	uint64_t	 v;
	int		 nr, n = 0, i;

	log_excerpt(esc, sizeof esc, name);
	if (isdigit((unsigned char)*name)) {
		if (parse_uint(name, SYS_NR_MAX - 1, &v, err, errlen) != 0)
			return (-1);
		return ((int)v);
	}
	nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
	if (nr >= 0 && nr < SYS_NR_MAX)
		return (nr);
	if (nr != __NR_SCMP_ERROR) {
		snprintf(err, errlen, "syscall '%s' does not exist on %s",
		    esc, sys_arch_name());
		return (-1);
	}
	for (i = 0; i < SYS_NR_MAX; i++) {
		owned[n] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
		    i);
		if (owned[n] != NULL) {
			names[n] = owned[n];
			n++;
		}
	}
	i = did_you_mean(name, names, n);
	if (i >= 0)
		snprintf(err, errlen, "unknown syscall '%s' (did you mean "
		    "'%s'?)", esc, names[i]);
	else
		snprintf(err, errlen, "unknown syscall '%s'", esc);
	for (i = 0; i < n; i++)
		free(owned[i]);
	return (-1);
}

int
sys_rule_has(const struct syscall_rule *r, int nr)
{
	int	i;

	for (i = 0; i < r->nsys; i++) {
		if (r->sys[i] == nr)
			return (1);
	}
	return (0);
}

/*
 * A rule the kernel can answer alone: a fixed error on every matching
 * call (argument comparisons are fine, they are BPF too).
 */
int
sys_rule_in_kernel(const struct syscall_rule *r)
{
	return (r->actions == ACT_ERROR && r->probability >= 1.0 &&
	    r->nth <= 1 && r->after == 0 && r->count == 0 && !r->has_path);
}

void
syscall_rule_init(struct syscall_rule *r)
{
	memset(r, 0, sizeof *r);
	r->probability = 1.0;
}

static void
sys_trim(char *s)
{
	char	*p = s, *e;

	while (isspace((unsigned char)*p))
		p++;
	memmove(s, p, strlen(p) + 1);
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
}

static int
sys_set_calls(struct syscall_rule *r, const char *list, char *err,
    size_t errlen)
{
	char	 buf[4096], *word, *next;
	int	 nr;

	if (strlcpy_chaos(buf, list, sizeof buf) >= sizeof buf) {
		snprintf(err, errlen, "syscall list too long");
		return (-1);
	}
	for (word = buf; word != NULL; word = next) {
		if ((next = strchr(word, ',')) != NULL)
			*next++ = '\0';
		sys_trim(word);
		if (*word == '\0') {
			snprintf(err, errlen, "empty syscall name in '%s'",
			    list);
			return (-1);
		}
		if ((nr = sys_resolve(word, err, errlen)) < 0)
			return (-1);
		if (sys_rule_has(r, nr))
			continue;
		if (r->nsys == SYS_CALLS_MAX) {
			snprintf(err, errlen, "more than %d syscalls in one "
			    "rule", SYS_CALLS_MAX);
			return (-1);
		}
		r->sys[r->nsys++] = nr;
	}
	return (0);
}

static int
sys_number(const char *s, uint64_t *v)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return (-1);
	errno = 0;
	if (*s == '-')
		*v = (uint64_t)strtoll(s, &end, 0);
	else
		*v = strtoull(s, &end, 0);
	if (errno != 0)
		return (-1);
	while (isspace((unsigned char)*end))
		end++;
	return (*end == '\0' ? 0 : -1);
}

/*
 * One comparison on argument arg: "==V", "=V" or "V" (equality), "!=V",
 * "<V", "<=V", ">V", ">=V", "&MASK==V" (masked equality). Values are
 * numbers in C notation, compared as 64-bit registers.
 */
static int
sys_set_cmp(struct syscall_rule *r, int arg, const char *text, char *err,
    size_t errlen)
{
	struct sys_cmp	 c = { .arg = arg, .op = SYS_EQ };
	char		 buf[256], esc[128], *p, *q;
	int		 i;

	log_excerpt(esc, sizeof esc, text);
	if (strlcpy_chaos(buf, text, sizeof buf) >= sizeof buf)
		goto bad;
	p = buf;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '&') {
		/* &MASK==VALUE */
		p++;
		for (q = p; *q != '\0' && *q != '='; q++)
			;
		if (*q != '=')
			goto bad;
		*q++ = '\0';
		if (sys_number(p, &c.mask) != 0)
			goto bad;
		if (*q == '=')
			q++;
		c.op = SYS_MASKED_EQ;
		p = q;
	} else if (p[0] == '=' && p[1] == '=') {
		p += 2;
	} else if (p[0] == '=') {
		p += 1;
	} else if (p[0] == '!' && p[1] == '=') {
		c.op = SYS_NE;
		p += 2;
	} else if (p[0] == '<' && p[1] == '=') {
		c.op = SYS_LE;
		p += 2;
	} else if (p[0] == '<') {
		c.op = SYS_LT;
		p += 1;
	} else if (p[0] == '>' && p[1] == '=') {
		c.op = SYS_GE;
		p += 2;
	} else if (p[0] == '>') {
		c.op = SYS_GT;
		p += 1;
	}
	if (sys_number(p, &c.value) != 0)
		goto bad;
	if (c.op == SYS_MASKED_EQ && (c.value & ~c.mask) != 0) {
		snprintf(err, errlen, "bad comparison 'arg%d%s': the value "
		    "has bits outside the mask, it can never match", arg, esc);
		return (-1);
	}
	for (i = 0; i < r->ncmp; i++) {
		if (r->cmp[i].arg == arg) {
			snprintf(err, errlen, "bad comparison 'arg%d%s': arg%d "
			    "is already compared in this rule", arg, esc, arg);
			return (-1);
		}
	}
	r->cmp[r->ncmp++] = c;
	return (0);
bad:
	snprintf(err, errlen, "bad comparison 'arg%d%s' (expected argN==V, "
	    "!=, <, <=, >, >= or argN&MASK==V, V a number)", arg, esc);
	return (-1);
}

/*
 * Set one key. A key "argN..." carries the start of its comparison when
 * an INI reader split "arg0 != 1" at the '=' (key "arg0 !", value "1"):
 * the pieces are joined back.
 */
int
syscall_rule_set_key(struct syscall_rule *r, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct rule	 named;
	char		 ekey[64], eval[128], joined[512], inner[128];
	uint64_t	 v;
	long long	 ll;
	int		 i;

	log_excerpt(ekey, sizeof ekey, key);
	log_excerpt(eval, sizeof eval, value != NULL ? value : "");
	if (strncmp(key, "arg", 3) == 0 && key[3] >= '0' && key[3] <= '5') {
		if (key[4] != '\0') {
			snprintf(joined, sizeof joined, "%s%s%s", key + 4,
			    value != NULL ? "=" : "", value != NULL ? value : "");
			return (sys_set_cmp(r, key[3] - '0', joined, err,
			    errlen));
		}
		if (value == NULL)
			value = "";
		return (sys_set_cmp(r, key[3] - '0', value, err, errlen));
	}
	if (strcmp(key, "kill") == 0) {
		/* a flag: "kill" alone, or kill=yes|no (and 1/0, true/false) */
		if (value == NULL) {
			r->kill = 1;
			return (0);
		}
		if (parse_bool(value, &r->kill, inner, sizeof inner) == 0)
			return (0);
		if (*value == '\0')
			snprintf(err, errlen, "kill=: empty value (kill is a "
			    "flag: write kill, or kill=yes)");
		else
			snprintf(err, errlen, "kill=%s: kill is a flag meaning "
			    "SIGKILL (write kill, or kill=yes); another signal "
			    "is signal=%s", eval, eval);
		return (-1);
	}
	if (value == NULL) {
		for (i = 0; i < SYS_NKEYS; i++) {
			if (strcmp(key, sys_keys[i]) == 0) {
				snprintf(err, errlen, "%s= needs a value",
				    ekey);
				return (-1);
			}
		}
		goto unknown;
	}

	if (strcmp(key, "syscall") == 0)
		return (sys_set_calls(r, value, err, errlen));
	if (strcmp(key, "name") == 0) {
		/* the libc rules' check and message, so -s and -i agree */
		rule_init(&named);
		if (rule_set_key(&named, "name", value, err, errlen) != 0)
			return (-1);
		strlcpy_chaos(r->name, named.name, sizeof r->name);
		return (0);
	}
	if (strcmp(key, "error") == 0) {
		if (parse_errno(value, &r->error, err, errlen) != 0)
			return (-1);
		if (r->error <= 0 || r->error > 4095) {
			snprintf(err, errlen, "error=%s: out of range "
			    "(1..4095)", eval);
			return (-1);
		}
		r->actions |= ACT_ERROR;
		return (0);
	}
	if (strcmp(key, "retval") == 0) {
		if (parse_int(value, LLONG_MIN, LLONG_MAX, &ll, err,
		    errlen) != 0)
			return (-1);
		r->retval = ll;
		r->actions |= ACT_RETVAL;
		return (0);
	}
	if (strcmp(key, "delay") == 0) {
		if (parse_duration(value, &r->delay_ns, err, errlen) != 0)
			return (-1);
		r->actions |= ACT_DELAY;
		return (0);
	}
	if (strcmp(key, "jitter") == 0)
		return (parse_duration(value, &r->jitter_ns, err, errlen));
	if (strcmp(key, "signal") == 0) {
		if (parse_signal(value, &r->signal, err, errlen) != 0)
			return (-1);
		r->actions |= ACT_SIGNAL;
		return (0);
	}
	if (strcmp(key, "probability") == 0) {
		if (parse_fraction(value, &r->probability, err, errlen) != 0)
			return (-1);
		if (!(r->probability >= 0.0 && r->probability <= 1.0)) {
			snprintf(err, errlen, "probability=%s: out of range "
			    "(0..1 or 0%%..100%%)", eval);
			return (-1);
		}
		return (0);
	}
	if (strcmp(key, "nth") == 0) {
		if (parse_uint(value, UINT64_MAX, &v, err, errlen) != 0)
			return (-1);
		if (v == 0) {
			snprintf(err, errlen, "nth=%s: must be at least 1",
			    eval);
			return (-1);
		}
		r->nth = v;
		return (0);
	}
	if (strcmp(key, "after") == 0)
		return (parse_uint(value, UINT64_MAX, &r->after, err, errlen));
	if (strcmp(key, "count") == 0) {
		if (parse_uint(value, UINT64_MAX, &v, err, errlen) != 0)
			return (-1);
		if (v == 0) {
			snprintf(err, errlen, "count=%s: must be at least 1",
			    eval);
			return (-1);
		}
		r->count = v;
		return (0);
	}
	if (strcmp(key, "path") == 0) {
		if (*value != '/') {
			snprintf(err, errlen, "path=%s: must be absolute "
			    "(a glob starting with '/')", eval);
			return (-1);
		}
		if (strlcpy_chaos(r->path, value, sizeof r->path) >=
		    sizeof r->path) {
			snprintf(err, errlen, "path= longer than %d bytes",
			    RULE_PATH_MAX - 1);
			return (-1);
		}
		r->has_path = 1;
		return (0);
	}

unknown:
	i = did_you_mean(key, sys_keys, SYS_NKEYS);
	if (i >= 0)
		snprintf(err, errlen, "unknown key '%s' (did you mean '%s'?)",
		    ekey, sys_keys[i]);
	else
		snprintf(err, errlen, "unknown key '%s'", ekey);
	return (-1);
}

/* After the last key: is the rule whole and meaningful? */
int
syscall_rule_check(struct syscall_rule *r, char *err, size_t errlen)
{
	const char	*sigkey;
	char		 name[64];
	int		 i, p, d, p2, d2;

	if (r->nsys == 0) {
		snprintf(err, errlen, "no syscall named (give syscall=)");
		return (-1);
	}
	if (r->actions == 0 && !r->kill) {
		snprintf(err, errlen, "missing action: give error=, retval=, "
		    "delay=, signal= or kill");
		return (-1);
	}
	if (r->kill && (r->actions & ACT_SIGNAL)) {
		snprintf(err, errlen, "kill and signal= exclude each other "
		    "(kill is signal=SIGKILL: give one of them)");
		return (-1);
	}
	sigkey = r->kill ? "kill" : "signal=";
	if (r->kill) {
		r->kill = 0;
		r->actions |= ACT_SIGNAL;
		r->signal = SIGKILL;
	}
	if ((r->actions & ACT_SIGNAL) &&
	    (r->actions & (ACT_ERROR | ACT_RETVAL))) {
		snprintf(err, errlen, "%s cannot be combined with %s (the "
		    "call runs after the signal: a signal rule does not fail "
		    "it)", sigkey,
		    (r->actions & ACT_ERROR) ? "error=" : "retval=");
		return (-1);
	}
	if ((r->actions & ACT_ERROR) && (r->actions & ACT_RETVAL)) {
		snprintf(err, errlen, "error= and retval= exclude each other "
		    "on a syscall (it returns either a value or -errno)");
		return (-1);
	}
	if (r->jitter_ns != 0 && !(r->actions & ACT_DELAY)) {
		snprintf(err, errlen, "jitter= needs delay=");
		return (-1);
	}
	if (r->has_path) {
		for (i = 0; i < r->nsys; i++) {
			if (!sys_path_args(r->sys[i], &p, &d, &p2, &d2)) {
				snprintf(err, errlen, "path= needs syscalls "
				    "that take a path: '%s' takes none",
				    sys_name(r->sys[i], name, sizeof name));
				return (-1);
			}
		}
	}
	if (r->name[0] == '\0')
		sys_name(r->sys[0], r->name, sizeof r->name);
	return (0);
}

/* Split at unescaped sep; unescape in place. Returns the rest, or NULL. */
static char *
sys_split(char *s, int sep)
{
	char	*r = s, *w = s;

	for (; *r != '\0'; r++) {
		if (*r == '\\' && (r[1] == ':' || r[1] == ';' ||
		    r[1] == '\\')) {
			if (sep == ';') {
				/* keep escapes for the field split */
				*w++ = *r++;
				*w++ = *r;
				continue;
			}
			*w++ = *++r;
			continue;
		}
		if (*r == sep) {
			*w = '\0';
			return (r + 1);
		}
		*w++ = *r;
	}
	*w = '\0';
	return (NULL);
}

static int
sys_parse_one(struct syscall_rule *r, char *text, char *err, size_t errlen)
{
	char	 field[RULE_PATH_MAX + 64], *next, *eq;
	char	 inner[RULE_ERR_MAX];
	int	 first = 1;

	syscall_rule_init(r);
	for (; text != NULL; text = next, first = 0) {
		next = sys_split(text, ':');
		if (strlcpy_chaos(field, text, sizeof field) >= sizeof field) {
			snprintf(err, errlen, "field too long");
			return (-1);
		}
		sys_trim(field);
		if (first) {
			if (sys_set_calls(r, field, err, errlen) != 0)
				return (-1);
			continue;
		}
		if (*field == '\0')
			continue;
		if (strncmp(field, "arg", 3) == 0 && field[3] >= '0' &&
		    field[3] <= '5' && field[4] != '\0') {
			char	key[5] = { 'a', 'r', 'g', field[3], '\0' };

			if (syscall_rule_set_key(r, key, field + 4, inner,
			    sizeof inner) != 0)
				goto fail;
			continue;
		}
		if ((eq = strchr(field, '=')) != NULL)
			*eq++ = '\0';
		if (syscall_rule_set_key(r, field, eq, inner,
		    sizeof inner) != 0)
			goto fail;
	}
	if (syscall_rule_check(r, inner, sizeof inner) != 0)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "%s", inner);
	return (-1);
}

struct syscall_faults *
syscall_faults_new(void)
{
	struct syscall_faults	*sf;

	sf = xcalloc(1, sizeof *sf);
	sf->sock[0] = sf->sock[1] = -1;
	return (sf);
}

int
syscall_faults_count(const struct syscall_faults *sf)
{
	return (sf == NULL ? 0 : sf->n);
}

/* A fresh rule for the scenario parser to fill with syscall_rule_set_key. */
struct syscall_rule *
syscall_faults_add(struct syscall_faults *sf, char *err, size_t errlen)
{
	struct syscall_rule	*r;

	if (sf->n == SYS_RULE_MAX) {
		snprintf(err, errlen, "more than %d syscall rules",
		    SYS_RULE_MAX);
		return (NULL);
	}
	r = &sf->rule[sf->n++];
	syscall_rule_init(r);
	return (r);
}

/* Default names are the first syscall's: number the repeats, getppid#2. */
static void
sys_unique_name(const struct syscall_faults *sf, struct syscall_rule *r)
{
	char	base[RULE_NAME_MAX];
	int	i;

	for (i = 0; i < sf->n; i++) {
		if (strcmp(sf->rule[i].name, r->name) == 0)
			break;
	}
	if (i == sf->n)
		return;
	strlcpy_chaos(base, r->name, sizeof base);
	snprintf(r->name, sizeof r->name, "%.50s#%d", base, sf->n + 1);
}

/* Parse ';'-separated one-line rules and add them; nothing added on error. */
int
syscall_faults_parse(struct syscall_faults *sf, const char *text, char *err,
    size_t errlen)
{
	char		*buf, *one, *next;
	char		 inner[RULE_ERR_MAX], esc[128];
	int		 n0 = sf->n, len;

	buf = xstrdup(text);
	for (one = buf; one != NULL; one = next) {
		next = sys_split(one, ';');
		len = (int)strlen(one);
		while (len > 0 && isspace((unsigned char)one[len - 1]))
			one[--len] = '\0';
		while (isspace((unsigned char)*one))
			one++;
		if (*one == '\0')
			continue;
		log_excerpt(esc, sizeof esc, one);
		if (sf->n == SYS_RULE_MAX) {
			snprintf(err, errlen, "more than %d syscall rules",
			    SYS_RULE_MAX);
			goto fail;
		}
		if (sys_parse_one(&sf->rule[sf->n], one, inner,
		    sizeof inner) != 0) {
			/* the caller quotes the whole text; name the rule of several */
			if (next != NULL || sf->n > n0)
				snprintf(err, errlen, "rule '%s': %s", esc,
				    inner);
			else
				snprintf(err, errlen, "%s", inner);
			goto fail;
		}
		sys_unique_name(sf, &sf->rule[sf->n]);
		sf->n++;
	}
	if (sf->n == n0) {
		snprintf(err, errlen, "empty syscall rule");
		goto fail;
	}
	free(buf);
	return (0);
fail:
	sf->n = n0;
	free(buf);
	return (-1);
}
