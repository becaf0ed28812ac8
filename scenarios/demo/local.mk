# The demo service (kvd, a key-value store over HTTP that fsyncs its log)
# and its load driver, for scenarios/demo.ini. kvd is installed in
# $(pkglibexecdir), so the installed demo.ini can start it too.
pkglibexec_PROGRAMS = scenarios/demo/kvd
scenarios_demo_kvd_SOURCES = scenarios/demo/kvd.c
dist_pkglibexec_SCRIPTS = scenarios/demo/load.sh
