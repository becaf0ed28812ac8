/*
 * mem: N allocations in a row, and which ones failed.
 *
 *	mem malloc|calloc|realloc|strdup|strndup|posix_memalign N
 *
 * Nothing else allocates between main() and the report (which is
 * formatted on the stack and written with write(2)). Prints
 *
 *	malloc: calls=N ok=A fail=B first_fail=I errno=ENOMEM
 *
 * (I counts from 1; first_fail=0 and no errno when none failed).
 */
#include "config.h"

#include "helper.h"

#define MAXN 100000

static void *ptr[MAXN];

int
main(int argc, char **argv)
{
	const char *call;
	long n, i, ok = 0, fail = 0, first = 0;
	int first_err = 0;

	if (argc != 3)
		h_usage("mem", "malloc|calloc|realloc|strdup|strndup|"
		    "posix_memalign N");
	call = argv[1];
	n = strtol(argv[2], NULL, 10);
	if (n < 1 || n > MAXN)
		h_usage("mem", "CALL N (1-100000)");
	for (i = 0; i < n; i++) {
		void *p = NULL;
		int e = 0;

		errno = 0;
		if (strcmp(call, "malloc") == 0) {
			p = malloc(32);
		} else if (strcmp(call, "calloc") == 0) {
			p = calloc(4, 8);
		} else if (strcmp(call, "realloc") == 0) {
			p = realloc(NULL, 32);
		} else if (strcmp(call, "strdup") == 0) {
			p = strdup("chaos");
		} else if (strcmp(call, "strndup") == 0) {
			p = strndup("chaos monkey", 5);
		} else if (strcmp(call, "posix_memalign") == 0) {
			e = posix_memalign(&p, 64, 32);
			if (e != 0) {
				p = NULL;
				errno = e;
			}
		} else {
			h_usage("mem", "malloc|calloc|realloc|strdup|strndup|"
			    "posix_memalign N");
		}
		if (p == NULL) {
			if (fail++ == 0) {
				first = i + 1;
				first_err = errno;
			}
		} else {
			ok++;
			if ((strcmp(call, "strdup") == 0 &&
			    strcmp(p, "chaos") != 0) ||
			    (strcmp(call, "strndup") == 0 &&
			    strcmp(p, "chaos") != 0)) {
				h_say("%s: wrong copy", call);
				return 1;
			}
		}
		ptr[i] = p;
	}
	if (fail)
		h_say("%s: calls=%ld ok=%ld fail=%ld first_fail=%ld errno=%s",
		    call, n, ok, fail, first, h_errname(first_err));
	else
		h_say("%s: calls=%ld ok=%ld fail=0 first_fail=0", call, n, ok);
	for (i = 0; i < n; i++)
		free(ptr[i]);
	return 0;
}
