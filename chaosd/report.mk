# chaosd/: fleets (chaosd report merge: one report from many hosts'
# JSON reports) and what they share with the single-host reports: the
# host's name, files written atomically.
chaosd_libchaosd_la_SOURCES += chaosd/merge.h chaosd/cmd-report.c \
	chaosd/merge-junit.c chaosd/hostname.c chaosd/file-atomic.c
