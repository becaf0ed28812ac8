/*
 * env.c: environments for the processes chaosd starts (exec's command,
 * run's workload and services, the checks): a copy of chaosd's own,
 * edited.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chaosd.h"

extern char **environ;

void
env_init(struct env *e)
{
	char	**p;
	size_t	  n = 0;

	for (p = environ; *p != NULL; p++)
		n++;
	e->v = xcalloc(n + 1, sizeof *e->v);
	e->n = 0;
	for (p = environ; *p != NULL; p++)
		e->v[e->n++] = *p;
	e->v[e->n] = NULL;
}

static ssize_t
env_find(const struct env *e, const char *name)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], name, len) == 0 && e->v[i][len] == '=')
			return ((ssize_t)i);
	}
	return (-1);
}

const char *
env_get(const struct env *e, const char *name)
{
	ssize_t	i = env_find(e, name);

	return (i < 0 ? NULL : e->v[i] + strlen(name) + 1);
}

/* Remove NAME (every copy), or every variable NAME starts when it ends
   with '*' ("CHAOS_*"). */
void
env_unset(struct env *e, const char *name)
{
	size_t	i, k = 0, len = strlen(name);
	int	prefix = len > 0 && name[len - 1] == '*';

	for (i = 0; i < e->n; i++) {
		const char *v = e->v[i];

		if (prefix ? strncmp(v, name, len - 1) == 0 :
		    strncmp(v, name, len) == 0 && v[len] == '=')
			continue;
		e->v[k++] = e->v[i];
	}
	e->n = k;
	e->v[k] = NULL;
}

void
env_set(struct env *e, const char *name, const char *value)
{
	char	*entry;

	env_unset(e, name);
	xasprintf(&entry, "%s=%s", name, value);
	e->v = xreallocarray(e->v, e->n + 2, sizeof *e->v);
	e->v[e->n++] = entry;
	e->v[e->n] = NULL;
}

/* The array (for execve); the entries set here are not freed. */
void
env_free(struct env *e)
{
	free(e->v);
	e->v = NULL;
	e->n = 0;
}
