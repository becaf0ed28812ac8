/*
 * fuzz.h: what a fuzz target here is made of.
 *
 * A target (fuzz-NAME.c) defines LLVMFuzzerTestOneInput() and the three
 * variables below. It is built two ways:
 *
 * - In `make check`, linked with driver.c, whose main() feeds it the
 *   seed corpus in tests/fuzz/corpus/NAME/, then a fixed-seed stream of
 *   mutations of it, then edge inputs, and speaks TAP.
 * - By `make fuzz`, with clang's libFuzzer (FUZZ_LIBFUZZER defined): a
 *   coverage-guided fuzzer run for as long as asked.
 *
 * A target checks properties of what it parses (an accepted value formats
 * back to itself, an error message is a terminated string...) and calls
 * fuzz_fail() when one does not hold: libFuzzer then stops with the input
 * saved, the driver counts it and saves the input.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

extern const char	fuzz_name[];	/* the corpus: tests/fuzz/corpus/NAME */
extern const int	fuzz_rounds;	/* mutated inputs in `make check` */
extern const char	fuzz_alphabet[];/* bytes that matter to it, for mutations */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A property does not hold for the current input. */
void	fuzz_fail(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A private directory for the target's files, made once, removed at exit. */
const char *fuzz_dir(void);

/* Write data to fuzz_dir()/name; returns its path (static buffer). */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* data as a NUL-terminated string (cut at a NUL byte), malloc'd. */
char	*fuzz_string(const uint8_t *data, size_t size);

/* fuzz-lib.c, for driver.c: the input being run, the failures so far,
   and whether it replays a saved input (not saved again). */
extern const uint8_t	*fuzz_input;
extern size_t		 fuzz_input_size;
extern int		 fuzz_failures;
extern int		 fuzz_replaying;

#endif
