/*
 * cmd/cmd.c: the command table (tmux's cmd_table[] as a list of family arrays) and
 * lookup by exact name, alias or unique prefix.
 */
#include "cmd-internal.h"

#include <string.h>

static const struct cmd_entry *const *const families[] = {
	cmd_family_core, cmd_family_circuit, cmd_family_data, cmd_family_model,
	cmd_family_experiment,
};

const struct cmd_entry *cmd_entry_at(size_t i)
{
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		for (const struct cmd_entry *const *e = families[f]; *e; e++) {
			if (i-- == 0)
				return *e;
		}
	}
	return NULL;
}

const struct cmd_entry *cmd_find(const char *name, struct qcq_error *err)
{
	const struct cmd_entry *e, *found = NULL;
	size_t len = strlen(name);
	int nprefix = 0;
	char matches[256] = "";

	for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
		if (strcmp(e->name, name) == 0)
			return e;
	}
	for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
		if (e->alias && strcmp(e->alias, name) == 0)
			return e;
	}
	for (size_t i = 0; len > 0 && (e = cmd_entry_at(i)); i++) {
		/* sub-command entries (load-x) are reached through their parent only */
		if (strncmp(e->name, name, len) == 0 && !strchr(e->name, '-')) {
			found = e;
			nprefix++;
			if (strlen(matches) + strlen(e->name) + 3 < sizeof matches) {
				if (matches[0])
					strcat(matches, ", ");
				strcat(matches, e->name);
			}
		}
	}
	if (nprefix == 1)
		return found;
	if (nprefix > 1)
		qcq_error_set(err, QCQ_EINVAL, "ambiguous command '%s' (could be %s)", name, matches);
	else
		qcq_error_set(err, QCQ_EINVAL, "unknown command '%s' (type help for the list)", name);
	return NULL;
}
