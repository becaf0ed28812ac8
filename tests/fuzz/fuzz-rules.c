/*
 * fuzz-rules: the libc rule parser (rules_parse, the one-line form of -i
 * and CHAOS_INJECT) against hostile input. Properties: a refused text
 * leaves a terminated error message; an accepted rule formats back into
 * text that parses again, to the same text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaos.h"
#include "fuzz.h"

const char	fuzz_name[] = "rules";
const int	fuzz_rounds = 20000;
const char	fuzz_alphabet[] = ":;=,\\%/*[]-.";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rule_set set, again;
	char	 err[RULE_ERR_MAX], buf[8192], buf2[8192];
	char	*text = fuzz_string(data, size);
	int	 i;

	set.n = 0;
	memset(err, 'x', sizeof err);
	if (rules_parse(&set, text, err, sizeof err) != 0) {
		if (memchr(err, '\0', sizeof err) == NULL)
			fuzz_fail("unterminated error for an input of %zu "
			    "bytes", size);
		free(text);
		return 0;
	}
	for (i = 0; i < set.n; i++) {
		if (rule_format(&set.rule[i], buf, sizeof buf) < 0)
			continue;
		again.n = 0;
		if (rules_parse(&again, buf, err, sizeof err) != 0) {
			fuzz_fail("accepted rule did not parse back: %s: %s",
			    buf, err);
			continue;
		}
		if (rule_format(&again.rule[0], buf2, sizeof buf2) < 0 ||
		    strcmp(buf, buf2) != 0)
			fuzz_fail("'%s' parsed back as '%s'", buf, buf2);
	}
	free(text);
	return 0;
}
