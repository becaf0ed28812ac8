# Integration tests: shell scripts sharing tests/integration/init.sh.
dist_check_DATA += tests/integration/init.sh
