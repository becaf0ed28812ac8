/*
 * fuzz-lib.c: the helpers every fuzz target uses, in both builds (the
 * `make check` driver and libFuzzer): a private directory for files made
 * from inputs, and fuzz_fail().
 */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

const uint8_t	*fuzz_input;
size_t		 fuzz_input_size;
int		 fuzz_failures;
int		 fuzz_replaying;

static char	 dir[PATH_MAX];

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

static void
remove_dir(void)
{
	if (dir[0] != '\0')
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0] != '\0')
		return dir;
	snprintf(dir, sizeof dir, "%s/chaosd-fuzz-%s.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp", fuzz_name);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(remove_dir);
	return dir;
}

const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char	 path[PATH_MAX + 64];
	int		 fd;

	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	/* a new file: truncating one makes ext4 flush it at close (slow) */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size)) {
		perror(path);
		abort();
	}
	close(fd);
	return path;
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;
#ifndef FUZZ_LIBFUZZER
	char	 path[64];
	FILE	*f;
#endif

	va_start(ap, fmt);
#ifdef FUZZ_LIBFUZZER
	fprintf(stderr, "fuzz-%s: ", fuzz_name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();		/* libFuzzer saves the input */
#else
	if (++fuzz_failures > 10) {	/* the first ten say enough */
		va_end(ap);
		return;
	}
	printf("# fuzz-%s: ", fuzz_name);
	vprintf(fmt, ap);
	va_end(ap);
	/* the input, for `fuzz-NAME FILE` or the libFuzzer build to replay */
	snprintf(path, sizeof path, "fuzz-%s-failure-%d", fuzz_name,
	    fuzz_failures - 1);
	if (!fuzz_replaying && (f = fopen(path, "w")) != NULL) {
		fwrite(fuzz_input, 1, fuzz_input_size, f);
		fclose(f);
		printf(" (input saved in %s)", path);
	}
	printf("\n");
	fflush(stdout);
#endif
}
