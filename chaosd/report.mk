# chaosd/: what the reports of many hosts share: the host's name
# (CHAOSD_HOST, else the host name).
chaosd_libchaosd_la_SOURCES += chaosd/hostname.c
