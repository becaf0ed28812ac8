/*
 * report.h: what the report formats share.
 *
 *   report-text.c   the summary (stdout, --report text=); the number
 *                   formats the others reuse
 *   progress.c      the live status line, or a line per event
 *
 * The formats themselves are declared in scenario.h (struct
 * report_format), with the run's results they read.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdint.h>
#include <stddef.h>

#include "scenario.h"

/* report-text.c */
const char *event_kind_name(enum ev_kind);	/* "service_died" */
void	 report_secs(uint64_t ns, char *buf, size_t len);	/* "12.3s" */
void	 report_ms(uint64_t ns, char *buf, size_t len);	/* "0.4ms", "148ms" */
void	 report_span_ms(int64_t ms, char *buf, size_t len);	/* "2.64s" */
void	 report_status_upper(const char *status, char *buf, size_t len);

#endif
