/*
 * exec-reach.h: what chaosd exec's rules reached (exec-reach.c), and
 * the reader of the shim's log lines that chaosd run shares.
 */
#ifndef CHAOSD_EXEC_REACH_H
#define CHAOSD_EXEC_REACH_H

#include <stdint.h>
#include <sys/types.h>

#define EXEC_RULES_MAX	64

struct exec_log {
	char		*dir;		/* ours, removed at the end */
	char		*path;
	int		 fd;		/* CHAOS_LOG_FD, or -1 */
	off_t		 off;		/* read so far */
	int		 verbose;	/* pass every line on, not warnings */
	int		 summaries;	/* summary lines read */
	struct {
		char	 name[65];
		uint64_t matched, injected;
	}		 rule[EXEC_RULES_MAX];
	int		 nrules;
};

int	 exec_log_open(struct exec_log *, char *err, size_t errlen);
void	 exec_log_relay(struct exec_log *);
void	 exec_log_verdict(struct exec_log *, const char *argv0);
void	 exec_log_close(struct exec_log *);
void	 shim_lines(int fd, off_t *off, int last,
	    void (*fn)(void *, char *), void *arg);
int	 shim_log_fd_env(int fd, char *buf, size_t len);

#endif
