/*
 * fuzz-syscall: syscall fault rules (syscall_faults_parse, the one-line
 * form of chaosd exec -s). Properties: a refused text leaves a terminated
 * error message and adds no rule; an accepted rule names a syscall, has
 * an action, and none of the combinations the parser refuses (kill or
 * signal= with error= or retval=, error= with retval=, jitter= without
 * delay=); its name is a valid name or the default (a syscall's, maybe
 * numbered).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "syscall.h"
#include "fuzz.h"

const char	fuzz_name[] = "syscall";
const int	fuzz_rounds = 5000;
const char	fuzz_alphabet[] = ":;=,\\!<>&x-";

static int
name_ok(const char *s)
{
	if (*s == '\0' || strlen(s) >= RULE_NAME_MAX)
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.' || *s == '#' || *s == ' '))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct syscall_faults *sf;
	const struct syscall_rule *r;
	char	 err[RULE_ERR_MAX];
	char	*text = fuzz_string(data, size);
	int	 i;

	if (sf == NULL)
		sf = syscall_faults_new();
	sf->n = 0;
	memset(err, 'x', sizeof err);
	if (syscall_faults_parse(sf, text, err, sizeof err) != 0) {
		if (memchr(err, '\0', sizeof err) == NULL)
			fuzz_fail("unterminated error for an input of %zu "
			    "bytes", size);
		if (sf->n != 0)
			fuzz_fail("a refused text added %d rules", sf->n);
		free(text);
		return 0;
	}
	for (i = 0; i < sf->n; i++) {
		r = &sf->rule[i];
		if (r->nsys < 1 || r->nsys > SYS_CALLS_MAX)
			fuzz_fail("rule %d: %d syscalls", i, r->nsys);
		if (r->actions == 0)
			fuzz_fail("rule %d: no action", i);
		if ((r->actions & ACT_SIGNAL) &&
		    (r->actions & (ACT_ERROR | ACT_RETVAL)))
			fuzz_fail("rule %d: a signal with error= or retval=", i);
		if ((r->actions & ACT_ERROR) && (r->actions & ACT_RETVAL))
			fuzz_fail("rule %d: error= with retval=", i);
		if (r->jitter_ns != 0 && !(r->actions & ACT_DELAY))
			fuzz_fail("rule %d: jitter= without delay=", i);
		if ((r->actions & ACT_SIGNAL) && (r->signal < 1 ||
		    r->signal > 64))
			fuzz_fail("rule %d: signal %d", i, r->signal);
		if (!(r->probability >= 0 && r->probability <= 1))
			fuzz_fail("rule %d: probability %g", i,
			    r->probability);
		if (!name_ok(r->name))
			fuzz_fail("rule %d: name '%s'", i, r->name);
	}
	free(text);
	return 0;
}
