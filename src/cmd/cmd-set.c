/*
 * cmd/cmd-set.c: `set KEY VALUE...` and `show settings`. The settings are plain
 * values that the other families read when they build circuits, models and jobs:
 * threads, jobs, shots, noise, depth, observable, seed, color.
 */
#include "cmd-model-internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The kinds of `set noise`, each with its two parameters. Kinds compose: setting one
 * leaves the others alone, and an omitted parameter of the kind set is 0.
 */
struct noise_kind {
	const char *name;
	const char *opt[2];  /* option names */
	const char *letter;  /* placeholders in messages: "p1=P p2=P" */
	double hi[2];        /* upper bounds; lower bounds are 0 */
	size_t off[2];       /* offsetof the fields in struct cmd_settings */
};

static const struct noise_kind noise_kinds[] = {
	/* Qiskit's depolarizing_error is valid up to 4^n/(4^n-1) */
	{"depolarizing", {"p1", "p2"}, "PP", {4.0 / 3.0, 16.0 / 15.0},
	 {offsetof(struct cmd_settings, p1), offsetof(struct cmd_settings, p2)}},
	/* amplitude_damping_error and phase_damping_error take [0, 1] */
	{"damping", {"gamma", "lambda"}, "GL", {1, 1},
	 {offsetof(struct cmd_settings, gamma), offsetof(struct cmd_settings, lambda)}},
	{"readout", {"p01", "p10"}, "PP", {1, 1},
	 {offsetof(struct cmd_settings, p01), offsetof(struct cmd_settings, p10)}},
};
#define NOISE_KINDS (sizeof noise_kinds / sizeof noise_kinds[0])

const char *cmd_noise_kind(size_t i, const char *opt[2])
{
	if (i < NOISE_KINDS) {
		opt[0] = noise_kinds[i].opt[0], opt[1] = noise_kinds[i].opt[1];
		return noise_kinds[i].name;
	}
	opt[0] = opt[1] = NULL;
	return i == NOISE_KINDS ? "off" : NULL;
}

static const struct noise_kind *noise_kind_find(const char *name)
{
	for (size_t i = 0; i < NOISE_KINDS; i++)
		if (strcmp(noise_kinds[i].name, name) == 0)
			return &noise_kinds[i];
	return NULL;
}

/* The kind that takes option key (NULL if none does). */
static const struct noise_kind *noise_kind_of(const char *key)
{
	for (size_t i = 0; i < NOISE_KINDS; i++)
		if (strcmp(noise_kinds[i].opt[0], key) == 0 || strcmp(noise_kinds[i].opt[1], key) == 0)
			return &noise_kinds[i];
	return NULL;
}

static double *noise_field(struct cmd_settings *s, const struct noise_kind *k, int i)
{
	return (double *)((char *)s + k->off[i]);
}

static enum qcq_status set_noise(struct cmd_ctx *ctx, const struct cmd_call *call,
				 struct cmd_settings *s)
{
	const char *name = cmd_nargs(call) >= 2 ? cmd_arg(call, 1) : "";
	if (strcmp(name, "off") == 0 && cmd_nargs(call) == 2) {
		if (call->nopt)
			return cmd_error(ctx, QCQ_EINVAL, "set noise off: takes no options");
		s->p1 = s->p2 = s->gamma = s->lambda = s->p01 = s->p10 = 0;
		return QCQ_OK;
	}
	const struct noise_kind *k = noise_kind_find(name);
	if (!k || cmd_nargs(call) != 2)
		return cmd_error(ctx, QCQ_EINVAL,
				 "set noise: expected 'depolarizing p1=P p2=P', 'damping gamma=G "
				 "lambda=L', 'readout p01=P p10=P' or 'off', got '%s'",
				 name);
	for (int j = 0; j < call->nopt; j++) {
		const struct noise_kind *o = noise_kind_of(call->opts[j].key);
		if (o == k)
			continue;
		if (o)
			return cmd_error(ctx, QCQ_EINVAL,
					 "set noise %s: takes %s= and %s= (%s/%s belong to %s)",
					 k->name, k->opt[0], k->opt[1], o->opt[0], o->opt[1], o->name);
		return cmd_error(ctx, QCQ_EINVAL, "set noise %s: takes %s= and %s=, not %s=",
				 k->name, k->opt[0], k->opt[1], call->opts[j].key);
	}
	if (!cmd_opt(call, k->opt[0]) && !cmd_opt(call, k->opt[1]))
		return cmd_error(ctx, QCQ_EINVAL, "set noise %s: give %s=%c and/or %s=%c", k->name,
				 k->opt[0], k->letter[0], k->opt[1], k->letter[1]);
	for (int i = 0; i < 2; i++)
		if (cmd_opt_double(ctx, k->opt[i], 0, k->hi[i], 0, noise_field(s, k, i)))
			return ctx->err->code;
	return QCQ_OK;
}

static enum qcq_status set_value(struct cmd_ctx *ctx, const struct cmd_call *call,
				 struct cmd_settings *s)
{
	const char *key = cmd_arg(call, 0);
	const char *val = cmd_nargs(call) >= 2 ? cmd_arg(call, 1) : NULL;
	long v;
	if (strcmp(key, "noise") == 0)
		return set_noise(ctx, call, s);
	if (call->nopt)
		return cmd_error(ctx, QCQ_EINVAL, "set %s: takes no options", key);
	if (!val || cmd_nargs(call) != 2)
		return cmd_error(ctx, QCQ_EINVAL, "set %s: needs exactly one value", key);
	if (strcmp(key, "threads") == 0) {
		if (cmd_parse_long(ctx, "threads", val, 1, 64, &v))
			return ctx->err->code;
		s->threads = (int)v;
	} else if (strcmp(key, "jobs") == 0) {
		if (cmd_parse_long(ctx, "jobs", val, 1, 64, &v))
			return ctx->err->code;
		s->jobs = (int)v;
	} else if (strcmp(key, "shots") == 0) {
		if (strcmp(val, "exact") == 0)
			v = 0;
		else if (cmd_parse_long(ctx, "shots", val, 1, 100000000L, &v))
			return ctx->err->code;
		s->shots = v;
	} else if (strcmp(key, "depth") == 0) {
		if (cmd_parse_long(ctx, "depth", val, 1, 8, &v))
			return ctx->err->code;
		s->depth = (int)v;
	} else if (strcmp(key, "observable") == 0) {
		if (strcmp(val, "z0") == 0 || strcmp(val, "Z0") == 0)
			s->observable = CMD_OBS_Z0;
		else if (strcmp(val, "zz") == 0 || strcmp(val, "ZZ") == 0 || strcmp(val, "z0z1") == 0)
			s->observable = CMD_OBS_ZZ;
		else
			return cmd_error(ctx, QCQ_EINVAL, "observable: '%s' is not z0 or zz", val);
	} else if (strcmp(key, "seed") == 0) {
		if (cmd_parse_long(ctx, "seed", val, 0, 0x7fffffffL, &v))
			return ctx->err->code;
		s->seed = (uint64_t)v;
	} else if (strcmp(key, "color") == 0) {
		if (strcmp(val, "on") == 0)
			s->color = true;
		else if (strcmp(val, "off") == 0)
			s->color = false;
		else
			return cmd_error(ctx, QCQ_EINVAL, "color: '%s' is not on or off", val);
	} else {
		return cmd_error(ctx, QCQ_EINVAL,
				 "set: unknown setting '%s' (threads, jobs, shots, noise, depth, "
				 "observable, seed, color)",
				 key);
	}
	return QCQ_OK;
}

static const char *obs_name(enum cmd_observable o)
{
	return o == CMD_OBS_ZZ ? "zz" : "z0";
}

static void print_settings(struct cmd_ctx *ctx)
{
	const struct cmd_settings *s = &ctx->ws->set;
	char shots[32];
	if (s->shots)
		snprintf(shots, sizeof shots, "%ld", s->shots);
	else
		snprintf(shots, sizeof shots, "exact");
	cmd_print(ctx, "threads     %d", s->threads);
	cmd_print(ctx, "jobs        %d", s->jobs);
	cmd_print(ctx, "shots       %s", shots);
	bool depol = s->p1 > 0 || s->p2 > 0, damp = s->gamma > 0 || s->lambda > 0;
	if (depol)
		cmd_print(ctx, "noise       depolarizing p1=%g p2=%g", s->p1, s->p2);
	if (damp)
		cmd_print(ctx, "noise       damping gamma=%g lambda=%g (circuits)", s->gamma,
			  s->lambda);
	if (!depol && !damp)
		cmd_print(ctx, "noise       off");
	if (s->p01 > 0 || s->p10 > 0)
		cmd_print(ctx, "readout     p01=%g p10=%g (measure)", s->p01, s->p10);
	cmd_print(ctx, "depth       %d (%d trainable angles)", s->depth, 2 * (s->depth + 1));
	cmd_print(ctx, "observable  %s", obs_name(s->observable));
	cmd_print(ctx, "seed        %llu", (unsigned long long)s->seed);
	cmd_print(ctx, "color       %s", s->color ? "on" : "off");
	cmd_json_begin(ctx, "settings");
	cmd_json_int(ctx, "threads", s->threads);
	cmd_json_int(ctx, "jobs", s->jobs);
	cmd_json_int(ctx, "shots", s->shots);
	cmd_json_num(ctx, "p1", s->p1);
	cmd_json_num(ctx, "p2", s->p2);
	cmd_json_num(ctx, "gamma", s->gamma);
	cmd_json_num(ctx, "lambda", s->lambda);
	cmd_json_num(ctx, "p01", s->p01);
	cmd_json_num(ctx, "p10", s->p10);
	cmd_json_int(ctx, "depth", s->depth);
	cmd_json_str(ctx, "observable", obs_name(s->observable));
	cmd_json_int(ctx, "seed", (long long)s->seed);
	cmd_json_bool(ctx, "color", s->color);
	cmd_json_end(ctx);
}

/* The value of setting key (noise: all its kinds) as `show settings` words. */
static void describe(const struct cmd_settings *s, const char *key, char *out, size_t n)
{
	if (strcmp(key, "threads") == 0)
		snprintf(out, n, "%d", s->threads);
	else if (strcmp(key, "jobs") == 0)
		snprintf(out, n, "%d", s->jobs);
	else if (strcmp(key, "shots") == 0 && s->shots)
		snprintf(out, n, "%ld", s->shots);
	else if (strcmp(key, "shots") == 0)
		snprintf(out, n, "exact");
	else if (strcmp(key, "depth") == 0)
		snprintf(out, n, "%d", s->depth);
	else if (strcmp(key, "observable") == 0)
		snprintf(out, n, "%s", obs_name(s->observable));
	else if (strcmp(key, "seed") == 0)
		snprintf(out, n, "%llu", (unsigned long long)s->seed);
	else if (strcmp(key, "color") == 0)
		snprintf(out, n, "%s", s->color ? "on" : "off");
	else { /* noise */
		size_t len = 0;
		out[0] = '\0';
		for (size_t i = 0; i < NOISE_KINDS; i++) {
			const struct noise_kind *k = &noise_kinds[i];
			double a = *noise_field((struct cmd_settings *)s, k, 0);
			double b = *noise_field((struct cmd_settings *)s, k, 1);
			if ((a > 0 || b > 0) && len < n)
				len += (size_t)snprintf(out + len, n - len, "%s%s %s=%g %s=%g",
							len ? ", " : "", k->name, k->opt[0], a,
							k->opt[1], b);
		}
		if (!len)
			snprintf(out, n, "off");
	}
}

static enum qcq_status exec_set(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	/* validate into a copy: a bad value leaves the settings as they were */
	struct cmd_settings s = ctx->ws->set;
	enum qcq_status st = set_value(ctx, call, &s);
	if (st)
		return st;
	/* a setting that shapes the model's classifier reaches the model (or says why not) */
	struct nn_model *rebuilt;
	if (cmd_model_follow_settings(ctx, &s, &rebuilt))
		return ctx->err->code;
	if (rebuilt)
		cmd_model_put(ctx->ws, rebuilt, NULL);
	const char *key = cmd_arg(call, 0);
	char was[160], now[160];
	describe(&ctx->ws->set, key, was, sizeof was);
	describe(&s, key, now, sizeof now);
	if (s.threads != ctx->ws->set.threads)
		cmd_workspace_set_threads(ctx->ws, s.threads);
	if (s.seed != ctx->ws->set.seed)
		qcq_rng_seed_domain(&ctx->ws->rng, s.seed, "cmd.workspace");
	ctx->ws->set = s;
	ctx->ws->dirty |= CMD_DIRTY_STATE;
	if (strcmp(was, now) == 0)
		cmd_print(ctx, "%s %s (unchanged)", key, now);
	else
		cmd_print(ctx, "%s %s (was %s)", key, now, was);
	cmd_json_begin(ctx, "set");
	cmd_json_str(ctx, "key", key);
	cmd_json_str(ctx, "value", now);
	cmd_json_str(ctx, "was", was);
	cmd_json_bool(ctx, "model_rebuilt", rebuilt != NULL);
	cmd_json_end(ctx);
	/* shots and noise reach the model's classifier now, so that the log says so next to
	 * the command that changed them (train, eval and predict would apply them anyway);
	 * an exact-only classifier keeps the setting for circuits and says why it can't */
	if (strcmp(key, "shots") == 0 || strcmp(key, "noise") == 0)
		cmd_model_note_noise(ctx, "set");
	return QCQ_OK;
}

static const char *const set_options[] = {"p1", "p2", "gamma", "lambda", "p01", "p10", NULL};

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.min_args = 1,
	.max_args = 2,
	.options = set_options,
	.usage = "set threads N | jobs N | shots N|exact | noise depolarizing p1=P p2=P | "
		 "noise damping gamma=G lambda=L | noise readout p01=P p10=P | noise off | "
		 "depth N | observable z0|zz | seed S | color on|off",
	.help = "Change a setting; show settings lists them.\n"
		"noise depolarizing: depolarizing error (Qiskit's parameterisation) p1 after every "
		"1-qubit gate and p2 after every 2-qubit gate of the quantum classifier and of "
		"circuits run with step/run/expect. noise damping: amplitude damping gamma and "
		"phase damping lambda (Qiskit's amplitude_damping_error and phase_damping_error, "
		"each in [0, 1]) on every qubit of every gate of circuits run with step/run/expect, "
		"after its depolarizing error; the trained quantum classifier (model qcq-cnn or "
		"qcnn, train) takes depolarizing noise only and refuses to run while damping is "
		"set. noise readout: a measured 0 reads as 1 with p01 and a 1 as 0 with p10 in "
		"measure. The kinds compose (setting one keeps the others; a parameter left out "
		"of the kind set is 0); noise off clears them all. shots: finite-shot estimates "
		"instead of exact expectations. The model's quantum classifier takes shots and "
		"depolarizing noise when they are set, and a loaded checkpoint takes the current "
		"ones when it is loaded; the log says when that changes it. "
		"Studies (experiment) do not use them. depth: RealAmplitudes reps of the classifier (1, "
		"2, 3 give 4, 6, 8 angles); depth and observable rebuild the classifier of a "
		"qcq-cnn model that exists, keeping its classical weights (and, for observable, "
		"its angles). threads: all of the program's threads, OpenBLAS's "
		"included.",
	.exec = exec_set,
};

static enum qcq_status exec_show_settings(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	print_settings(ctx);
	return QCQ_OK;
}

const struct cmd_entry cmd_show_settings_entry = {
	.name = "show-settings",
	.min_args = 0,
	.max_args = 0,
	.usage = "show settings",
	.help = "List the settings (see set).",
	.flags = CMD_F_JOB_SAFE,
	.exec = exec_show_settings,
};
