# Ready game days, installed under $(pkgdatadir)/scenarios.
scenariodir = $(pkgdatadir)/scenarios
dist_scenario_DATA =
