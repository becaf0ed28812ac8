/*
 * driver.c: the main() of a fuzz target in `make check` (the libFuzzer
 * build has its own). It speaks TAP, three test points:
 *
 *   1. every file of the seed corpus, tests/fuzz/corpus/NAME/ (under
 *      $abs_top_srcdir, or the directory given as the first argument),
 *   2. fuzz_rounds mutations of those, from a fixed-seed PRNG: a prefix
 *      of one seed spliced to a suffix of another, then a few edits (any
 *      byte, a byte of the target's alphabet, a digit, a cut, a long run,
 *      a copied piece, a deleted piece),
 *   3. edge inputs: empty, every single byte, 128 KiB of one byte, a seed
 *      repeated to 128 KiB, a seed with its bytes' high bit set.
 *
 * A crash or a sanitizer report ends the run (and fails the test); a
 * broken property is counted (fuzz_fail()) and its input saved.
 *
 *   fuzz-NAME [CORPUS-DIR]    the three points
 *   fuzz-NAME FILE            one input, to replay a failure
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chaos.h"
#include "fuzz.h"

#define CAP	(128 * 1024)	/* the longest input made here */

struct seed {
	uint8_t	*data;
	size_t	 size;
};

static struct seed	*seeds;
static int		 nseeds;

static void
run(const uint8_t *data, size_t size)
{
	fuzz_input = data;
	fuzz_input_size = size;
	LLVMFuzzerTestOneInput(data, size);
}

static int
read_file(const char *path, struct seed *s)
{
	FILE	*f;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > CAP ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	s->size = (size_t)n;
	s->data = malloc(s->size + 1);
	if (s->data == NULL || fread(s->data, 1, s->size, f) != s->size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus, in name order (the same order every run). */
static int
read_corpus(const char *dir)
{
	char		 path[PATH_MAX + 256], **names = NULL;
	struct dirent	*de;
	DIR		*d;
	int		 n = 0, i;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (size_t)(n + 1) * sizeof *names);
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			abort();
		n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, name_cmp);
	seeds = calloc((size_t)n + 1, sizeof *seeds);
	if (seeds == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (read_file(path, &seeds[nseeds]) == 0)
			nseeds++;
		else
			printf("# cannot read %s\n", path);
		free(names[i]);
	}
	free(names);
	return 0;
}

static size_t
mutate(struct prng *g, uint8_t *buf)
{
	const struct seed *a = &seeds[prng_next(g) % (uint64_t)nseeds];
	const struct seed *b = &seeds[prng_next(g) % (uint64_t)nseeds];
	size_t	 n, i, k, cut, from;
	unsigned ops;

	cut = a->size ? prng_next(g) % (a->size + 1) : 0;
	from = prng_next(g) % (b->size + 1);
	k = b->size - from;
	if (cut + k > CAP)
		k = CAP - cut;
	memcpy(buf, a->data, cut);
	memcpy(buf + cut, b->data + from, k);
	n = cut + k;
	for (ops = (unsigned)(prng_next(g) % 6); ops > 0 && n > 0; ops--) {
		i = prng_next(g) % n;
		switch (prng_next(g) % 7) {
		case 0:		/* any byte at all */
			buf[i] = (uint8_t)prng_next(g);
			break;
		case 1:		/* a byte that means something to the target */
			buf[i] = (uint8_t)fuzz_alphabet[prng_next(g) %
			    strlen(fuzz_alphabet)];
			break;
		case 2:		/* a digit: numbers at their edges */
			buf[i] = (uint8_t)('0' + prng_next(g) % 10);
			break;
		case 3:		/* cut */
			n = i;
			break;
		case 4:		/* a long run */
			k = prng_next(g) % 2 ? 'a' : buf[i];
			while (n < CAP && prng_next(g) % 256)
				buf[n++] = (uint8_t)k;
			break;
		case 5:		/* a piece copied further on */
			k = prng_next(g) % (n - i) + 1;
			if (n + k <= CAP) {
				memmove(buf + i + k, buf + i, n - i);
				n += k;
			}
			break;
		default:	/* a piece deleted */
			k = prng_next(g) % (n - i) + 1;
			memmove(buf + i, buf + i + k, n - i - k);
			n -= k;
			break;
		}
	}
	return n;
}

static void
edges(uint8_t *buf)
{
	size_t	 n;
	int	 c, i;

	run(buf, 0);
	for (c = 0; c < 256; c++) {
		buf[0] = (uint8_t)c;
		run(buf, 1);
	}
	memset(buf, 'a', CAP);
	run(buf, CAP);
	memset(buf, '\n', CAP);
	run(buf, CAP);
	for (i = 0; i < nseeds; i++) {
		if (seeds[i].size == 0)
			continue;
		for (n = 0; n + seeds[i].size <= CAP; n += seeds[i].size)
			memcpy(buf + n, seeds[i].data, seeds[i].size);
		run(buf, n);
		for (n = 0; n < seeds[i].size; n++)
			buf[n] = seeds[i].data[n] | 0x80;
		run(buf, seeds[i].size);
	}
}

int
main(int argc, char **argv)
{
	static uint8_t	 buf[CAP + 1];
	char		 dir[PATH_MAX];
	const char	*top = getenv("abs_top_srcdir");
	struct prng	 g;
	struct stat	 st;
	struct seed	 one;
	uint64_t	 h = 1469598103934665603ull;
	const char	*p;
	int		 i, before;

	if (argc > 1 && stat(argv[1], &st) == 0 && S_ISREG(st.st_mode)) {
		if (read_file(argv[1], &one) != 0) {
			perror(argv[1]);
			return 2;
		}
		fuzz_replaying = 1;
		run(one.data, one.size);
		printf("fuzz-%s: %s: %s\n", fuzz_name, argv[1],
		    fuzz_failures ? "property broken" : "ok");
		return fuzz_failures ? 1 : 0;
	}
	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s",
		    top != NULL ? top : ".", fuzz_name);
	printf("1..3\n");
	if (read_corpus(dir) != 0 || nseeds == 0) {
		printf("Bail out! no seed corpus in %s\n", dir);
		return 99;
	}

	for (i = 0; i < nseeds; i++)
		run(seeds[i].data, seeds[i].size);
	printf("%s 1 - %d inputs of corpus/%s\n", fuzz_failures ? "not ok" :
	    "ok", nseeds, fuzz_name);

	before = fuzz_failures;
	for (p = fuzz_name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	prng_seed(&g, 20261201 ^ h);
	for (i = 0; i < fuzz_rounds; i++)
		run(buf, mutate(&g, buf));
	printf("%s 2 - %d mutated inputs\n", fuzz_failures > before ?
	    "not ok" : "ok", fuzz_rounds);

	before = fuzz_failures;
	edges(buf);
	printf("%s 3 - edge inputs\n", fuzz_failures > before ? "not ok" :
	    "ok");
	for (i = 0; i < nseeds; i++)
		free(seeds[i].data);
	free(seeds);
	return fuzz_failures ? 1 : 0;
}
