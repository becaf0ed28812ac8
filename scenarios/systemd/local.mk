# Scheduled game days: chaosd-gameday@.service and .timer, installed in
# systemd's unit directory (pkg-config's systemdsystemunitdir, else
# $(prefix)/lib/systemd/system; always under $(prefix) so that distcheck
# and staged installs stay inside it).
systemdsystemunit_DATA = scenarios/systemd/chaosd-gameday@.service \
	scenarios/systemd/chaosd-gameday@.timer
EXTRA_DIST += scenarios/systemd/chaosd-gameday@.service.in \
	scenarios/systemd/chaosd-gameday@.timer
CLEANFILES += scenarios/systemd/chaosd-gameday@.service

scenarios/systemd/chaosd-gameday@.service: \
	$(srcdir)/scenarios/systemd/chaosd-gameday@.service.in Makefile
	$(AM_V_GEN)mkdir -p scenarios/systemd && \
	sed -e 's|@bindir[@]|$(bindir)|g' \
	    $(srcdir)/scenarios/systemd/chaosd-gameday@.service.in >$@.tmp && \
	mv $@.tmp $@
