# chaosd/: scenarios (chaosd run, validate): the parser, the timeline,
# services, checks (one file per type) and reports (one file per format).
chaosd_libchaosd_la_SOURCES += chaosd/scenario.h chaosd/scenario.c \
	chaosd/scenario-keys.c \
	chaosd/timeline.c chaosd/service.c chaosd/check.c chaosd/baseline.c \
	chaosd/check-exec.c chaosd/check-tcp.c chaosd/check-http.c \
	chaosd/report.h chaosd/report-text.c chaosd/report-json.c \
	chaosd/report-junit.c chaosd/report-html.c chaosd/report-prom.c \
	chaosd/html-timeline.c chaosd/svg.c chaosd/progress.c \
	chaosd/cmd-run.c chaosd/cmd-validate.c chaosd/run.h \
	chaosd/run-steady.c chaosd/run-chaos.c chaosd/run-verdict.c \
	chaosd/run-journal.c \
	chaosd/kind-inject.c chaosd/inject-reach.h chaosd/inject-reach.c
# libcurl's headers only: it is opened on first use (dlopen.c), not linked.
chaosd_libchaosd_la_CFLAGS += $(CURL_CFLAGS) $(JANSSON_CFLAGS)
chaosd_libchaosd_la_LIBADD += $(JANSSON_LIBS) -lpthread
