/*
 * early.c: libearly.so, a library whose constructor calls into libc before
 * libinject's own constructor may have run (preload it first): malloc,
 * calloc, realloc, strdup, free, open, read, close, fopen, fgets. Each
 * reaches a hook whose real function may not be resolved yet: the shim
 * must resolve it on the spot, and serve dlsym's own allocations from its
 * arena meanwhile. It prints what it saw on stderr, one line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void
early(void)
{
	char buf[64] = "", line[64] = "";
	char *p = malloc(32), *q = calloc(4, 8), *s = strdup("early");
	const char *path = getenv("EARLY_FILE");
	FILE *fp;
	ssize_t n = -1;
	int fd;

	p = realloc(p, 4096);
	if (path != NULL && (fd = open(path, O_RDONLY)) >= 0) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	if (path != NULL && (fp = fopen(path, "r")) != NULL) {
		if (fgets(line, sizeof line, fp) == NULL)
			line[0] = '\0';
		fclose(fp);
	}
	fprintf(stderr, "early: malloc=%s calloc=%s strdup=%s read=%zd "
	    "fgets=%s\n", p ? "ok" : "NULL", q ? "ok" : "NULL",
	    s && strcmp(s, "early") == 0 ? "ok" : "bad", n,
	    line[0] ? "ok" : "none");
	free(p);
	free(q);
	free(s);
}
