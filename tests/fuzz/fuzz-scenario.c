/*
 * fuzz-scenario: scenario files (scenario_load, what chaosd validate and
 * chaosd run read), written from the input, then the timeline chaosd
 * validate prints. Properties: a refused file's message is terminated and
 * begins with "FILE:" (every error names the file, and the line where
 * there is one).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaosd.h"
#include "scenario.h"
#include "fuzz.h"

const char	fuzz_name[] = "scenario";
const int	fuzz_rounds = 10000;
const char	fuzz_alphabet[] = "[]=.;#,:%\n ";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE	*devnull;
	struct scenario	*sc;
	char		 err[1024];
	const char	*path;
	size_t		 n;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	path = fuzz_file("s.ini", data, size);
	memset(err, 'x', sizeof err);
	if ((sc = scenario_load(path, err, sizeof err)) == NULL) {
		n = strlen(path);
		if (memchr(err, '\0', sizeof err) == NULL)
			fuzz_fail("unterminated error for an input of %zu "
			    "bytes", size);
		else if (strncmp(err, path, n) != 0 || err[n] != ':')
			fuzz_fail("error without FILE: '%.200s'", err);
		return 0;
	}
	timeline_print(sc, devnull);
	scenario_free(sc);
	return 0;
}
