/*
 * rule-int.h: what the libc rule files share and nothing else sees:
 * rule.c (keys), rule-check.c, rule-format.c, rule-parse.c (the one-line
 * form) and rule-file.c ([inject.NAME] sections).
 */
#ifndef RULE_INT_H
#define RULE_INT_H

#include "chaos.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

static inline void
bit_set(uint64_t *w, int id)
{
	w[id / 64] |= 1ULL << (id % 64);
}

static inline int
bit_isset(const uint64_t *w, int id)
{
	return (w[id / 64] >> (id % 64)) & 1;
}

static inline int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* rule.c */
#define RULE_NKEYS	22
#define KEY_CALL	0
#define KEY_NAME	(RULE_NKEYS - 1)
extern const struct rule_key rule_keys[RULE_NKEYS];
int	rule_set_name(struct rule *, const char *, char *err, size_t errlen);
void	rule_fdtype_format(unsigned mask, char *buf, size_t len);

/* rule-format.c */
void	rule_calls_format(const struct rule *, char *buf, size_t len);

#endif
