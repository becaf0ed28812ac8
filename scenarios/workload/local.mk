# ackw, the workload of the real-service scenarios: writes, records what
# was acknowledged, reads it back. Installed in $(pkglibexecdir).
dist_pkglibexec_SCRIPTS += scenarios/workload/ackw
