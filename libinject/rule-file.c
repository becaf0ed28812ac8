/*
 * rule-file.c: rule files, CHAOS_INJECT_FILE: one [inject.NAME] section
 * a rule, its keys those of the one-line form (rule.c's table), each
 * error with its line; the INI itself is read by ini.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rule-int.h"

struct file_state {
	struct rule_set	*set;
	int		 base;
	struct rule	*cur;		/* the open section's rule */
	int		 cur_line;
	uint32_t	 seen;
	int		 seen_line[RULE_NKEYS];
	int		 line[RULE_MAX];	/* each rule's section line */
	int		 check_failed;	/* rule_check: report at cur_line */
	char		 msg[RULE_ERR_MAX * 2];
};

/* Close the open section: check its rule. */
static int
finish_section(struct file_state *st)
{
	char	 msg[RULE_ERR_MAX];

	if (st->cur == NULL)
		return 0;
	if (rule_check(st->cur, msg, sizeof msg) != 0) {
		snprintf(st->msg, sizeof st->msg, "[inject.%s] %s",
		    st->cur->name, msg);
		st->check_failed = 1;
		return -1;
	}
	st->set->n++;
	st->cur = NULL;
	return 0;
}

static int
file_section(struct file_state *st, const char *section, int line,
    char *err, size_t errlen)
{
	char	 esc[72], msg[RULE_ERR_MAX];
	const char *name = section + 7;
	struct rule *r;
	int	 i;

	if (finish_section(st) != 0) {
		snprintf(err, errlen, "%s", st->msg);
		return 0;
	}
	str_escape(esc, sizeof esc, section);
	if (strncmp(section, "inject.", 7) != 0) {
		snprintf(err, errlen, "unknown section [%s] (rules go in "
		    "[inject.NAME] sections)", esc);
		return 0;
	}
	if (*name == '\0') {
		snprintf(err, errlen, "[inject.] needs a name: [inject.NAME]");
		return 0;
	}
	for (i = 0; i < st->set->n; i++) {
		if (strcmp(st->set->rule[i].name, name) != 0)
			continue;
		if (i >= st->base)
			snprintf(err, errlen, "duplicate section [%s] (first "
			    "at line %d)", esc, st->line[i]);
		else
			snprintf(err, errlen, "[%s] the name '%s' is taken by "
			    "an earlier rule", esc, name);
		return 0;
	}
	if (st->set->n >= RULE_MAX) {
		snprintf(err, errlen, "too many rules (at most %d)", RULE_MAX);
		return 0;
	}
	r = &st->set->rule[st->set->n];
	rule_init(r);
	if (rule_set_name(r, name, msg, sizeof msg) != 0) {
		snprintf(err, errlen, "[%s] %s", esc, msg);
		return 0;
	}
	st->cur = r;
	st->cur_line = line;
	st->line[st->set->n] = line;
	st->seen = 0;
	return 1;
}

static int
file_cb(void *user, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct file_state *st = user;
	char	 msg[RULE_ERR_MAX];
	int	 k;

	if (key == NULL)
		return file_section(st, section, line, err, errlen);
	if (st->cur == NULL) {
		str_escape(msg, sizeof msg, key);
		snprintf(err, errlen, "key '%s' outside any section (rules go "
		    "in [inject.NAME] sections)", msg);
		return 0;
	}
	if ((k = rule_key_find(rule_keys, RULE_NKEYS, key)) < 0) {
		rule_key_unknown(rule_keys, RULE_NKEYS, key, msg, sizeof msg);
		snprintf(err, errlen, "[inject.%s] %s", st->cur->name, msg);
		return 0;
	}
	if (k == KEY_NAME) {
		snprintf(err, errlen, "[inject.%s] name: not a key here (the "
		    "section's name names the rule)", st->cur->name);
		return 0;
	}
	if (st->seen & (1u << k)) {
		snprintf(err, errlen, "[inject.%s] duplicate key '%s' (first "
		    "at line %d)", st->cur->name, key, st->seen_line[k]);
		return 0;
	}
	if (rule_key_set(&rule_keys[k], st->cur, value, strlen(value), msg,
	    sizeof msg) != 0) {
		snprintf(err, errlen, "[inject.%s] %s", st->cur->name, msg);
		return 0;
	}
	st->seen |= 1u << k;
	st->seen_line[k] = line;
	return 1;
}

int
rules_parse_file(struct rule_set *set, const char *path, char *err,
    size_t errlen)
{
	struct file_state st;
	char	 esc[256];

	memset(&st, 0, sizeof st);
	st.set = set;
	st.base = set->n;
	str_escape(esc, sizeof esc, path);
	if (ini_read_file_ex(path, INI_READ_SECTIONS, file_cb, &st, err,
	    errlen) != 0) {
		if (st.check_failed)
			snprintf(err, errlen, "%s:%d: %s", esc, st.cur_line,
			    st.msg);
		set->n = st.base;
		return -1;
	}
	if (finish_section(&st) != 0) {
		snprintf(err, errlen, "%s:%d: %s", esc, st.cur_line, st.msg);
		set->n = st.base;
		return -1;
	}
	if (set->n == st.base) {
		snprintf(err, errlen, "%s: no [inject.NAME] section", esc);
		return -1;
	}
	return 0;
}
