/*
 * hostname.c: the name a host's reports go by.
 *
 * $CHAOSD_HOST when set (the fleet playbooks set it to the inventory
 * name, which is what the people reading a fleet report know a host by),
 * else the kernel's host name. It is written into the JSON report and
 * doctor --json, and read back by chaosd report merge.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaosd.h"

const char *
host_name(void)
{
	static char	 name[256];
	const char	*env = getenv("CHAOSD_HOST");

	if (env != NULL && *env != '\0')
		return (env);
	if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
		return ("unknown");
	name[sizeof name - 1] = '\0';
	return (name);
}
