/*
 * rule-check.c: which actions and filters make sense for which calls,
 * and rule_check(), which refuses a whole rule that cannot work, saying
 * which key makes no sense for which call and why.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rule-int.h"

static int
calls_empty(const struct rule *r)
{
	int	 i;

	for (i = 0; i < HOOK_WORDS; i++) {
		if (r->calls[i] != 0)
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Which actions and filters make sense for which calls                */
/* ------------------------------------------------------------------ */

enum {
	WHY_NOFAIL, WHY_EAI, WHY_PTR, WHY_DATA, WHY_IN, WHY_PATH, WHY_NET,
	WHY_HOST, WHY_FD
};

static const struct {
	const char	*neg;	/* "connect moves no data" */
	const char	*pos;	/* "no selected call moves data" */
} whys[] = {
	[WHY_NOFAIL] = { "cannot fail; only delay, signal and exit apply",
	    "can fail" },
	[WHY_EAI] = { "does not return EAI_* codes", "returns EAI_* codes" },
	[WHY_PTR] = { "returns a pointer", "returns a number" },
	[WHY_DATA] = { "moves no data", "moves data" },
	[WHY_IN] = { "returns no data", "returns data" },
	[WHY_PATH] = { "names no file", "names a file" },
	[WHY_NET] = { "has no socket or address", "has a socket or address" },
	[WHY_HOST] = { "looks up no host name", "looks up a host name" },
	[WHY_FD] = { "has no descriptor", "has a descriptor" },
};

/* The actions and filters that some calls do not support. */
static const struct feature {
	const char	*key;
	unsigned	 act;
	unsigned	 filt;
} features[] = {
	{ "error",   ACT_ERROR,   0 },
	{ "retval",  ACT_RETVAL,  0 },
	{ "short",   ACT_SHORT,   0 },
	{ "corrupt", ACT_CORRUPT, 0 },
	{ "path",    0, FILT_PATH },
	{ "addr",    0, FILT_ADDR },
	{ "port",    0, FILT_PORT },
	{ "host",    0, FILT_HOST },
	{ "fdtype",  0, FILT_FDTYPE },
};

static int
feature_used(const struct rule *r, int f)
{
	return (r->actions & features[f].act) || (r->filters & features[f].filt);
}

/* Why hook cannot take feature f of rule r (WHY_*), or -1 if it can. */
static int
why_not(const struct rule *r, int f, int hook)
{
	unsigned flags = hook_table[hook].flags;
	unsigned groups = hook_table[hook].groups;
	unsigned nofail = flags & (F_VOID | F_NOFAIL);

	switch (features[f].act | features[f].filt << 8) {
	case ACT_ERROR:
		if (nofail)
			return WHY_NOFAIL;
		if (r->error_eai && !(flags & F_EAI))
			return WHY_EAI;
		return -1;
	case ACT_RETVAL:
		if (nofail)
			return WHY_NOFAIL;
		return (flags & F_PTR) ? WHY_PTR : -1;
	case ACT_SHORT:
		return (flags & F_DATA) && !nofail ? -1 : WHY_DATA;
	case ACT_CORRUPT:
		return (flags & F_IN) && !nofail ? -1 : WHY_IN;
	case FILT_PATH << 8:
		return (flags & (F_PATH | F_FD | F_FILE)) ? -1 : WHY_PATH;
	case FILT_ADDR << 8:
	case FILT_PORT << 8:
		return (groups & (G_NET | G_DNS)) ||
		    (flags & (F_FD | F_FILE | F_ADDR)) ? -1 : WHY_NET;
	case FILT_HOST << 8:
		return (flags & F_HOST) ? -1 : WHY_HOST;
	case FILT_FDTYPE << 8:
		return (flags & (F_FD | F_FILE)) ? -1 : WHY_FD;
	}
	return -1;
}

static int
hook_takes(const struct rule *r, int hook)
{
	int	 f;

	for (f = 0; f < NELEM(features); f++) {
		if (feature_used(r, f) && why_not(r, f, hook) >= 0)
			return 0;
	}
	return 1;
}

int
rule_hook_allowed(const struct rule *r, int hook)
{
	if (hook < 0 || hook >= HOOK_COUNT || !bit_isset(r->calls, hook))
		return 0;
	return hook_takes(r, hook);
}

/* ------------------------------------------------------------------ */
/* Checking a whole rule                                               */
/* ------------------------------------------------------------------ */

/* The rule's call list for a message, shortened. */
static void
calls_text(const struct rule *r, char *buf, size_t len)
{
	char	 all[1024];

	rule_calls_format(r, all, sizeof all);
	str_escape(buf, len, all);
}

static const char *
action_key(unsigned act)
{
	static const char *const names[] = {
		"error", "retval", "delay", "signal", "exit", "short", "corrupt"
	};
	int	 i;

	for (i = 0; i < NELEM(names); i++) {
		if (act & (1u << i))
			return names[i];
	}
	return "?";
}

int
rule_check(struct rule *r, char *err, size_t errlen)
{
	char	 calls[80], used[128];
	int	 f, i, any;

	if (calls_empty(r)) {
		snprintf(err, errlen, "no calls given (libc functions or "
		    "groups: read,pread or %%read)");
		return -1;
	}
	if (r->actions == 0) {
		snprintf(err, errlen, "no action (give one of error, retval, "
		    "delay, signal, exit, short, corrupt)");
		return -1;
	}
	if ((r->actions & ACT_EXIT) &&
	    (r->actions & ~(ACT_EXIT | ACT_DELAY))) {
		snprintf(err, errlen, "exit: cannot be combined with %s (exit "
		    "combines only with delay)",
		    action_key(r->actions & ~(ACT_EXIT | ACT_DELAY)));
		return -1;
	}
	if ((r->actions & (ACT_SHORT | ACT_CORRUPT)) &&
	    (r->actions & (ACT_ERROR | ACT_RETVAL))) {
		snprintf(err, errlen, "%s: cannot be combined with %s (a "
		    "failed call transfers no data)",
		    action_key(r->actions & (ACT_SHORT | ACT_CORRUPT)),
		    action_key(r->actions & (ACT_ERROR | ACT_RETVAL)));
		return -1;
	}
	if (r->jitter_ns != 0 && !(r->actions & ACT_DELAY)) {
		snprintf(err, errlen, "jitter: needs delay (the delay is "
		    "spread by the jitter)");
		return -1;
	}

	used[0] = '\0';
	for (f = 0; f < NELEM(features); f++) {
		int	 takers = 0, why = -1;

		if (!feature_used(r, f))
			continue;
		if (used[0] != '\0')
			strcat(used, ", ");
		strcat(used, features[f].key);
		for (i = 0; i < HOOK_COUNT; i++) {
			int	 w;

			if (!bit_isset(r->calls, i))
				continue;
			if ((w = why_not(r, f, i)) < 0) {
				takers++;
				continue;
			}
			why = w;
			if (!bit_isset(r->named, i))
				continue;
			if (w == WHY_EAI)
				snprintf(err, errlen, "%s: %s makes no sense for "
				    "%s (%s %s)", features[f].key,
				    eai_name(r->error) != NULL ?
				    eai_name(r->error) : "EAI code",
				    hook_table[i].name, hook_table[i].name,
				    whys[w].neg);
			else
				snprintf(err, errlen, "%s: makes no sense for %s "
				    "(%s %s)", features[f].key,
				    hook_table[i].name, hook_table[i].name,
				    whys[w].neg);
			return -1;
		}
		if (takers == 0) {
			calls_text(r, calls, sizeof calls);
			snprintf(err, errlen, "%s: makes no sense for %s (no "
			    "selected call %s)", features[f].key, calls,
			    why >= 0 ? whys[why].pos : "takes it");
			return -1;
		}
	}
	for (i = 0, any = 0; i < HOOK_COUNT && !any; i++) {
		if (bit_isset(r->calls, i) && hook_takes(r, i))
			any = 1;
	}
	if (!any) {
		calls_text(r, calls, sizeof calls);
		snprintf(err, errlen, "no call among %s takes all of %s "
		    "together", calls, used);
		return -1;
	}
	return 0;
}

