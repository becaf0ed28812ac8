/*
 * names.c: errno, signal and EAI_* names, both ways.
 *
 * Every table lists a value's canonical name first and its aliases
 * after (EAGAIN before EWOULDBLOCK), so the *_name() functions return
 * the name strace and perror users know. Names are matched without
 * regard to case: "eio", "segv" and "sigsegv" are welcome.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chaos.h"

/* names kept in place, not pointed to: no relocations at start (hooks.c) */
struct name {
	char		 name[20];
	int		 value;
};

#define N(x) { #x, x }

static const struct name errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(ENOTBLK), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV),
	N(ENOTDIR), N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY),
	N(ETXTBSY), N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK),
	N(EPIPE), N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK),
	N(ENOSYS), N(ENOTEMPTY), N(ELOOP), N(ENOMSG), N(EIDRM), N(ECHRNG),
	N(EL2NSYNC), N(EL3HLT), N(EL3RST), N(ELNRNG), N(EUNATCH), N(ENOCSI),
	N(EL2HLT), N(EBADE), N(EBADR), N(EXFULL), N(ENOANO), N(EBADRQC),
	N(EBADSLT), N(EBFONT), N(ENOSTR), N(ENODATA), N(ETIME), N(ENOSR),
	N(ENONET), N(ENOPKG), N(EREMOTE), N(ENOLINK), N(EADV), N(ESRMNT),
	N(ECOMM), N(EPROTO), N(EMULTIHOP), N(EDOTDOT), N(EBADMSG),
	N(EOVERFLOW), N(ENOTUNIQ), N(EBADFD), N(EREMCHG), N(ELIBACC),
	N(ELIBBAD), N(ELIBSCN), N(ELIBMAX), N(ELIBEXEC), N(EILSEQ),
	N(ERESTART), N(ESTRPIPE), N(EUSERS), N(ENOTSOCK), N(EDESTADDRREQ),
	N(EMSGSIZE), N(EPROTOTYPE), N(ENOPROTOOPT), N(EPROTONOSUPPORT),
	N(ESOCKTNOSUPPORT), N(EOPNOTSUPP), N(EPFNOSUPPORT), N(EAFNOSUPPORT),
	N(EADDRINUSE), N(EADDRNOTAVAIL), N(ENETDOWN), N(ENETUNREACH),
	N(ENETRESET), N(ECONNABORTED), N(ECONNRESET), N(ENOBUFS), N(EISCONN),
	N(ENOTCONN), N(ESHUTDOWN), N(ETOOMANYREFS), N(ETIMEDOUT),
	N(ECONNREFUSED), N(EHOSTDOWN), N(EHOSTUNREACH), N(EALREADY),
	N(EINPROGRESS), N(ESTALE), N(EUCLEAN), N(ENOTNAM), N(ENAVAIL),
	N(EISNAM), N(EREMOTEIO), N(EDQUOT), N(ENOMEDIUM), N(EMEDIUMTYPE),
	N(ECANCELED), N(ENOKEY), N(EKEYEXPIRED), N(EKEYREVOKED),
	N(EKEYREJECTED), N(EOWNERDEAD), N(ENOTRECOVERABLE),
#ifdef ERFKILL
	N(ERFKILL),
#endif
#ifdef EHWPOISON
	N(EHWPOISON),
#endif
	/* aliases */
	N(EWOULDBLOCK), N(EDEADLOCK), N(ENOTSUP),
};

static const struct name signals[] = {
	N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT),
	N(SIGBUS), N(SIGFPE), N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2),
	N(SIGPIPE), N(SIGALRM), N(SIGTERM),
#ifdef SIGSTKFLT
	N(SIGSTKFLT),
#endif
	N(SIGCHLD), N(SIGCONT), N(SIGSTOP), N(SIGTSTP), N(SIGTTIN),
	N(SIGTTOU), N(SIGURG), N(SIGXCPU), N(SIGXFSZ), N(SIGVTALRM),
	N(SIGPROF), N(SIGWINCH), N(SIGIO),
#ifdef SIGPWR
	N(SIGPWR),
#endif
	N(SIGSYS),
	/* aliases */
	N(SIGIOT),
#ifdef SIGCLD
	N(SIGCLD),
#endif
#ifdef SIGPOLL
	N(SIGPOLL),
#endif
};

static const struct name eais[] = {
	N(EAI_BADFLAGS), N(EAI_NONAME), N(EAI_AGAIN), N(EAI_FAIL),
	N(EAI_FAMILY), N(EAI_SOCKTYPE), N(EAI_SERVICE), N(EAI_MEMORY),
	N(EAI_SYSTEM), N(EAI_OVERFLOW),
#ifdef EAI_NODATA
	N(EAI_NODATA),
#endif
#ifdef EAI_ADDRFAMILY
	N(EAI_ADDRFAMILY),
#endif
#ifdef EAI_INPROGRESS
	N(EAI_INPROGRESS),
#endif
#ifdef EAI_CANCELED
	N(EAI_CANCELED),
#endif
#ifdef EAI_NOTCANCELED
	N(EAI_NOTCANCELED),
#endif
#ifdef EAI_ALLDONE
	N(EAI_ALLDONE),
#endif
#ifdef EAI_INTR
	N(EAI_INTR),
#endif
#ifdef EAI_IDN_ENCODE
	N(EAI_IDN_ENCODE),
#endif
};

#undef N

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define ERRNO_MAX 4095		/* the kernel's MAX_ERRNO */
#define SIGNAL_MAX 64		/* _NSIG - 1 on Linux */

static int
lookup(const struct name *t, int n, const char *s)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(t[i].name, s) == 0)
			return i;
	}
	return -1;
}

static const char *
rlookup(const struct name *t, int n, int v)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (t[i].value == v)
			return t[i].name;
	}
	return NULL;
}

/* A hint " (did you mean 'X'?)" for word among t's names, or "". */
static void
hint(char *buf, size_t len, const char *word, const struct name *t, int n,
    const char *prefix)
{
	const char *names[128];
	int	 i, k;

	buf[0] = '\0';
	if (n > NELEM(names))
		n = NELEM(names);
	for (i = 0; i < n; i++)
		names[i] = t[i].name + strlen(prefix);
	k = did_you_mean(word, names, n);
	if (k >= 0)
		snprintf(buf, len, " (did you mean '%s'?)", t[k].name);
}

/* Digits only, at most 9 of them (so the value fits an int); else -1. */
static int
small_number(const char *s)
{
	int	 v = 0, n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 9)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int
parse_errno(const char *s, int *out, char *err, size_t errlen)
{
	char	 esc[72], h[64];
	int	 i, v;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (*s >= '0' && *s <= '9') {
		v = small_number(s);
		if (v < 1 || v > ERRNO_MAX) {
			value_error(err, errlen, s, v < 0 && strspn(s,
			    "0123456789") != strlen(s) ? "is not an errno "
			    "name or number" : "is out of range (1..4095)");
			return -1;
		}
		*out = v;
		return 0;
	}
	if ((i = lookup(errnos, NELEM(errnos), s)) >= 0) {
		*out = errnos[i].value;
		return 0;
	}
	str_escape(esc, sizeof esc, s);
	/* Compare without the E all the names share. */
	if (*s == 'E' || *s == 'e')
		hint(h, sizeof h, s + 1, errnos, NELEM(errnos), "E");
	else
		hint(h, sizeof h, s, errnos, NELEM(errnos), "");
	snprintf(err, errlen, "unknown errno name '%s'%s", esc, h);
	return -1;
}

const char *
errno_name(int e)
{
	return rlookup(errnos, NELEM(errnos), e);
}

static int
parse_rt(const char *s, int *out)
{
	int	 base, off = 0, v;

	if (strncasecmp(s, "RTMIN", 5) == 0)
		base = SIGRTMIN;
	else if (strncasecmp(s, "RTMAX", 5) == 0)
		base = SIGRTMAX;
	else
		return -1;
	s += 5;
	if (*s == '+' || *s == '-') {
		off = small_number(s + 1);
		if (off < 0)
			return -1;
		if (*s == '-')
			off = -off;
	} else if (*s != '\0')
		return -1;
	v = base + off;
	if (v < SIGRTMIN || v > SIGRTMAX)
		return -1;
	*out = v;
	return 0;
}

int
parse_signal(const char *s, int *out, char *err, size_t errlen)
{
	const char *bare = s;
	char	 esc[72], h[64];
	int	 i, v;

	if (*s == '\0') {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (*s >= '0' && *s <= '9') {
		v = small_number(s);
		if (v < 1 || v > SIGNAL_MAX) {
			value_error(err, errlen, s, v < 0 && strspn(s,
			    "0123456789") != strlen(s) ? "is not a signal name "
			    "or number" : "is out of range (1..64)");
			return -1;
		}
		*out = v;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		bare = s + 3;
	for (i = 0; i < NELEM(signals); i++) {
		if (strcasecmp(signals[i].name + 3, bare) == 0) {
			*out = signals[i].value;
			return 0;
		}
	}
	if (parse_rt(bare, out) == 0)
		return 0;
	str_escape(esc, sizeof esc, s);
	hint(h, sizeof h, bare, signals, NELEM(signals), "SIG");
	snprintf(err, errlen, "unknown signal '%s'%s", esc, h);
	return -1;
}

const char *
signal_name(int sig)
{
	return rlookup(signals, NELEM(signals), sig);
}

int
parse_eai(const char *s, int *out)
{
	int	 i;

	if ((i = lookup(eais, NELEM(eais), s)) < 0)
		return -1;
	*out = eais[i].value;
	return 0;
}

const char *
eai_name(int code)
{
	return rlookup(eais, NELEM(eais), code);
}

