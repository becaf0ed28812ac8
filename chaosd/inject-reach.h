/*
 * inject-reach.h: who a run's fault table reached (inject-reach.c).
 */
#ifndef CHAOSD_INJECT_REACH_H
#define CHAOSD_INJECT_REACH_H

#include <stdint.h>
#include <stdio.h>

#include "chaosd.h"

struct json_t;

/* A process under a table: attached (mode), or refused (reason). */
struct reach_proc {
	int		 pid;
	long		 uid;		/* -1: not known */
	uint64_t	 start;		/* clock ticks since boot, or 0 */
	uint64_t	 attached;	/* CLOCK_REALTIME ns, or 0 */
	char		 exe[REACH_EXE_MAX];
	char		 mode[12];	/* rw fd ro dropped */
	char		 reason[200];	/* refused: why */
};

/* Everything a table's processes said, gathered while the run goes. */
struct inject_reach {
	struct reach_proc *attached;
	int		 nattached;
	struct reach_proc *refused;
	int		 nrefused;
	uint64_t	 unrecorded;	/* attaches with no free record */
	int		 has_reach;	/* the table has a reach file */
	off_t		 log_off;	/* how far the log was read */
};

void	 ireach_collect(struct inject_reach *, const struct table *);
void	 ireach_read_log(struct inject_reach *, int fd, const char *table);
void	 ireach_why(const struct inject_reach *, char *buf, size_t len);
void	 ireach_json(const struct inject_reach *, struct json_t *);
void	 ireach_text(const struct inject_reach *, FILE *);
void	 ireach_free(struct inject_reach *);

#endif
