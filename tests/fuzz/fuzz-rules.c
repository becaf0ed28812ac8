/*
 * fuzz-rules: the rule parser and the INI reader against hostile input.
 *
 * Built two ways: with libFuzzer (clang -fsanitize=fuzzer, see
 * tests/fuzz/README) it is a coverage-guided fuzz target; in `make check`
 * its own main() feeds it a fixed-seed stream of mutated rules (seeds
 * below, random splices, bytes flipped, long runs) and checks only that
 * the parser never crashes, always terminates its error message, and
 * that whatever it accepts formats back into text that parses again.
 * It speaks TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaos.h"

static const char *const seeds[] = {
	"read,pread:path=/srv/db/*:error=EIO:probability=5%",
	"connect:port=5432:delay=2s:jitter=200ms",
	"%write:path=/var/log/app.log:short=50%:count=3",
	"malloc:after=1000:error=ENOMEM:probability=0.1%",
	"write:nth=3:signal=SIGSEGV",
	"%dns:host=*.example:error=EAI_AGAIN",
	"%net:addr=[2001:db8::]/32:port=1-1024:error=ECONNRESET",
	"%read:fdtype=socket,pipe:corrupt=3:exe=python*",
	"open:path=/a\\:b\\;c\\\\d:error=EACCES:name=x;fsync:exit=3",
	"%file:start=1m30s:for=500ms:error=EIO:retval=-1",
};

static int failures;
static int accepted;

/* One input: must not crash; an accepted rule must round-trip. */
static void
one(const char *text)
{
	static struct rule_set set, again;
	char err[RULE_ERR_MAX], buf[8192];
	int i;

	set.n = 0;
	memset(err, 'x', sizeof err);
	if (rules_parse(&set, text, err, sizeof err) != 0) {
		if (memchr(err, '\0', sizeof err) == NULL) {
			printf("# unterminated error for input of %zu bytes\n",
			    strlen(text));
			failures++;
		}
		return;
	}
	accepted++;
	for (i = 0; i < set.n; i++) {
		if (rule_format(&set.rule[i], buf, sizeof buf) < 0)
			continue;
		again.n = 0;
		if (rules_parse(&again, buf, err, sizeof err) != 0) {
			printf("# accepted rule did not parse back: %s: %s\n",
			    buf, err);
			failures++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	one(text);
	free(text);
	return 0;
}

#ifndef FUZZ_LIBFUZZER
static void
mutate(struct prng *g, char *buf, size_t cap)
{
	const char *a = seeds[prng_next(g) % (sizeof seeds / sizeof *seeds)];
	const char *b = seeds[prng_next(g) % (sizeof seeds / sizeof *seeds)];
	size_t n, i, cut = strlen(a) ? prng_next(g) % strlen(a) : 0;
	unsigned ops;

	/* a prefix of one seed spliced to a suffix of another */
	n = (size_t)snprintf(buf, cap, "%.*s%s", (int)cut, a,
	    b + prng_next(g) % (strlen(b) + 1));
	for (ops = (unsigned)(prng_next(g) % 6); ops > 0 && n > 0; ops--) {
		i = prng_next(g) % n;
		switch (prng_next(g) % 5) {
		case 0:		/* any byte at all */
			buf[i] = (char)(1 + prng_next(g) % 255);
			break;
		case 1:		/* a separator */
			buf[i] = ":;=,\\%"[prng_next(g) % 6];
			break;
		case 2:		/* a digit: numbers at their edges */
			buf[i] = (char)('0' + prng_next(g) % 10);
			break;
		case 3:		/* truncate */
			buf[i] = '\0';
			n = i;
			break;
		default:	/* a long run */
			while (n + 1 < cap && prng_next(g) % 64)
				buf[n++] = 'a';
			buf[n] = '\0';
			break;
		}
	}
}

int
main(void)
{
	static char buf[RULE_TEXT_MAX + 4096];
	struct prng g;
	size_t k;
	int i, rounds = 20000;

	printf("1..3\n");
	for (k = 0; k < sizeof seeds / sizeof *seeds; k++)
		one(seeds[k]);
	printf("%s 1 - seeds parse and round-trip\n", failures ? "not ok" : "ok");

	prng_seed(&g, 20261201);
	for (i = 0; i < rounds; i++) {
		mutate(&g, buf, 4096);
		one(buf);
	}
	printf("%s 2 - %d mutated rules, %d accepted and round-tripped\n",
	    failures ? "not ok" : "ok", rounds, accepted);

	/* texts at and past the size limit */
	memset(buf, 'r', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	one(buf);
	memcpy(buf, "read:path=/", 11);
	buf[RULE_TEXT_MAX] = '\0';
	one(buf);
	printf("%s 3 - oversized texts\n", failures ? "not ok" : "ok");
	return failures ? 1 : 0;
}
#endif
