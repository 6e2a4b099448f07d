/*
 * cmd/cmd.c: the command table (tmux's cmd_table[] as a list of family arrays) and
 * lookup by exact name, alias or unique prefix.
 */
#include "cmd-internal.h"

#include <stdio.h>
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

const struct cmd_entry *cmd_kind_parent(const struct cmd_entry *e)
{
	const char *dash = strchr(e->name, '-');
	if (!dash || (e->flags & CMD_F_NOT_KIND))
		return NULL;
	const struct cmd_entry *p;
	size_t len = (size_t)(dash - e->name);
	for (size_t i = 0; (p = cmd_entry_at(i)); i++)
		if ((p->flags & CMD_F_PARENT) && strlen(p->name) == len &&
		    strncmp(p->name, e->name, len) == 0)
			return p;
	return NULL;
}

const struct cmd_entry *cmd_find_kind(const struct cmd_entry *parent, const char *kind)
{
	const struct cmd_entry *e;
	size_t len = strlen(parent->name);
	for (size_t i = 0; (e = cmd_entry_at(i)); i++)
		if (strncmp(e->name, parent->name, len) == 0 && e->name[len] == '-' &&
		    strcmp(e->name + len + 1, kind) == 0 && cmd_kind_parent(e) == parent)
			return e;
	return NULL;
}

/* Optimal string alignment distance (Levenshtein with adjacent transpositions, so
 * "modle" is 1 from "model"); names are short, longer ones count as far. */
static int edit_distance(const char *a, const char *b)
{
	enum { MAXL = 32 };
	size_t n = strlen(a), m = strlen(b);
	if (n >= MAXL || m >= MAXL)
		return 99;
	int d[MAXL][MAXL];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

/* The commands closest to a name that matched none ("did you mean model?"): those at
 * the smallest edit distance, if it is small for the name's length. */
static void suggest(const char *name, char *out, size_t n)
{
	const struct cmd_entry *e;
	int best = (int)strlen(name) <= 4 ? 1 : 2;
	out[0] = '\0';
	for (int pass = 0; pass < 2; pass++) /* find the best distance, then list its names */
		for (size_t i = 0; (e = cmd_entry_at(i)); i++) {
			if (cmd_kind_parent(e))
				continue;
			int d = edit_distance(name, e->name);
			if (pass == 0 && d < best)
				best = d;
			else if (pass == 1 && d == best && strlen(out) + strlen(e->name) + 5 < n)
				snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " or " : "",
					 e->name);
		}
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
	else {
		char close[160];
		suggest(name, close, sizeof close);
		if (close[0])
			qcq_error_set(err, QCQ_EINVAL, "unknown command '%s' (did you mean %s?)", name,
				      close);
		else
			qcq_error_set(err, QCQ_EINVAL, "unknown command '%s' (type help for the list)",
				      name);
	}
	return NULL;
}
