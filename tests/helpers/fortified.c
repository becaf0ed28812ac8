/*
 * fortified: the same calls as a program built with -O2
 * -D_FORTIFY_SOURCE=2 makes them, through glibc's checking entry points
 * (__read_chk, __pread_chk, __fgets_chk, __fread_chk, __fprintf_chk,
 * __printf_chk, __open_2). Sizes come from the command line, so the
 * compiler cannot prove them safe and keeps the _chk calls.
 *
 *	fortified open PATH FLAGS    (__open_2; FLAGS a number, 0: O_RDONLY)
 *	fortified read PATH N        (__read_chk)
 *	fortified pread PATH N       (__pread_chk)
 *	fortified fgets PATH N       (__fgets_chk)
 *	fortified fread PATH N       (__fread_chk)
 *	fortified fprintf PATH TEXT  (__fprintf_chk)
 *	fortified printf TEXT        (__printf_chk; the result goes to stderr)
 *
 * tests/helpers/local.mk builds it with the flags above; the test checks
 * with nm that the _chk symbols are really used.
 */
#if defined(__OPTIMIZE__) && !defined(_FORTIFY_SOURCE)
#define _FORTIFY_SOURCE 2
#endif
#include "config.h"

#include <fcntl.h>

#include "helper.h"

int
main(int argc, char **argv)
{
	char buf[64];
	const char *call;
	size_t n;
	FILE *fp;
	long r;
	int fd;

	if (argc < 3)
		h_usage("fortified", "CALL PATH [N|TEXT]");
	call = argv[1];
	n = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 0;
	/* not clamped: a known range would let the compiler drop the checks
	   (a larger N is caught by the very checks: keep it under 64) */
	memset(buf, 0, sizeof buf);
	if (strcmp(call, "printf") == 0) {
		r = printf("%s %d\n", argv[2], argc);	/* not a puts() */
		if (r >= 0)
			r = fflush(stdout) == 0 ? r : -1;
		fprintf(stderr, "printf=%ld%s%s\n", r, r < 0 ? " errno=" : "",
		    r < 0 ? h_errname(errno) : "");
		return 0;
	}
	if (argc != 4)
		h_usage("fortified", "CALL PATH N|TEXT");
	if (strcmp(call, "open") == 0) {
		int flags = (int)strtol(argv[3], NULL, 0);

		fd = open(argv[2], flags);
		h_result("open", fd, errno, 0, 0);
		return 0;
	}
	if (strcmp(call, "read") == 0 || strcmp(call, "pread") == 0) {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0) {
			h_result("open", fd, errno, 0, 0);
			return 1;
		}
		if (call[0] == 'r')
			r = read(fd, buf, n);
		else
			r = pread(fd, buf, n, 0);
		if (r < 0)
			h_result(call, r, errno, 0, 0);
		else
			h_say("%s=%ld data=%.*s", call, r, (int)r, buf);
		return 0;
	}
	fp = fopen(argv[2], strcmp(call, "fprintf") == 0 ? "w" : "r");
	if (fp == NULL) {
		h_say("fopen=NULL errno=%s", h_errname(errno));
		return 1;
	}
	if (strcmp(call, "fgets") == 0) {
		char *p = fgets(buf, (int)n + 1, fp);

		if (p == NULL)
			h_say("fgets=NULL errno=%s", h_errname(errno));
		else
			h_say("fgets=ok data=%s", buf);
	} else if (strcmp(call, "fread") == 0) {
		r = (long)fread(buf, 1, n, fp);
		if (ferror(fp))
			h_say("fread=%ld errno=%s", r, h_errname(errno));
		else
			h_say("fread=%ld data=%.*s", r, (int)r, buf);
	} else if (strcmp(call, "fprintf") == 0) {
		r = fprintf(fp, "%s %d\n", argv[3], argc);
		if (r < 0)
			h_say("fprintf=%ld errno=%s", r, h_errname(errno));
		else
			h_say("fprintf=%ld", r);
	} else {
		h_usage("fortified", "open|read|pread|fgets|fread|fprintf|printf");
	}
	fclose(fp);
	return 0;
}
