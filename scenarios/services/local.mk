# Start scripts of the real services the shipped scenarios run
# (postgres-wal-eio.ini, nginx-upstream.ini), installed in
# $(pkglibexecdir) where the installed scenarios look for them.
dist_pkglibexec_SCRIPTS += \
	scenarios/services/postgres-start \
	scenarios/services/nginx-start
