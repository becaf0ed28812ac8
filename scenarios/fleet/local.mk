# The fleet (scenarios/fleet): the Ansible playbooks, the chaosd role, an
# example inventory and scenario, and the Kubernetes example, installed
# beside the scenarios, in $(pkgdatadir)/scenarios/fleet.
nobase_dist_pkgdata_DATA = \
	scenarios/fleet/README.md \
	scenarios/fleet/.ansible-lint \
	scenarios/fleet/hosts.example.ini \
	scenarios/fleet/smoke.ini.j2 \
	scenarios/fleet/install.yml \
	scenarios/fleet/preflight.yml \
	scenarios/fleet/gameday.yml \
	scenarios/fleet/abort.yml \
	scenarios/fleet/roles/chaosd/defaults/main.yml \
	scenarios/fleet/roles/chaosd/handlers/main.yml \
	scenarios/fleet/roles/chaosd/meta/main.yml \
	scenarios/fleet/roles/chaosd/tasks/main.yml \
	scenarios/fleet/roles/chaosd/tasks/facts.yml \
	scenarios/fleet/roles/chaosd/tasks/scenario.yml \
	scenarios/fleet/roles/chaosd/tasks/install.yml \
	scenarios/fleet/roles/chaosd/tasks/preflight.yml \
	scenarios/fleet/roles/chaosd/tasks/forget.yml \
	scenarios/fleet/roles/chaosd/tasks/gameday.yml \
	scenarios/fleet/roles/chaosd/tasks/abort.yml \
	scenarios/fleet/kubernetes/README.md \
	scenarios/fleet/kubernetes/chaosd-daemonset.yaml
