/*
 * merge.h: chaosd report merge (cmd-report.c: the command, the reading,
 * the text and JSON reports; merge-junit.c: the JUnit report). The
 * hosts' reports are kept as jansson read them.
 */
#ifndef CHAOSD_MERGE_H
#define CHAOSD_MERGE_H

#include <stdio.h>

#include <jansson.h>

enum host_from { FROM_REPORT, FROM_DIRECTORY, FROM_FILE };

struct host_report {
	const char	*file;
	char		*host;
	enum host_from	 from;
	json_t		*root;		/* the report, owned */
	int		 exit_status;
	const char	*status;
};

struct merge {
	struct host_report *h;
	int		 n;
	int		 exit_status;	/* the worst host's */
	const char	*status;
	int		 worst;		/* its index */
};

/* cmd-report.c */
const char *jget_str(json_t *, const char *key);	/* NULL: absent */
long long jget_int(json_t *, const char *key, long long def);
const char *or_dash(const char *);
int	merge_text(FILE *, const void *merge);
int	merge_json(FILE *, const void *merge);

/* merge-junit.c */
int	merge_junit(FILE *, const void *merge);

#endif
