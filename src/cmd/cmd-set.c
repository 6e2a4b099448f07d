/*
 * cmd/cmd-set.c: `set KEY VALUE...` and `show settings`. The settings are plain
 * values that the other families read when they build circuits, models and jobs:
 * threads, jobs, shots, noise, depth, observable, seed, color.
 */
#include "cmd-internal.h"

#include <stdlib.h>
#include <string.h>

static enum qcq_status set_noise(struct cmd_ctx *ctx, const struct cmd_call *call,
				 struct cmd_settings *s)
{
	const char *kind = cmd_nargs(call) >= 2 ? cmd_arg(call, 1) : "";
	if (strcmp(kind, "off") == 0 && cmd_nargs(call) == 2 && call->nopt == 0) {
		s->p1 = s->p2 = s->p01 = s->p10 = 0;
		return QCQ_OK;
	}
	if (strcmp(kind, "readout") == 0 && cmd_nargs(call) == 2) {
		if (!cmd_opt(call, "p01") && !cmd_opt(call, "p10"))
			return cmd_error(ctx, QCQ_EINVAL, "set noise readout: give p01=P and/or p10=P");
		if (cmd_opt(call, "p1") || cmd_opt(call, "p2"))
			return cmd_error(ctx, QCQ_EINVAL,
					 "set noise readout: takes p01= and p10= (p1/p2 belong to "
					 "depolarizing)");
		return cmd_opt_double(ctx, "p01", 0, 1, 0, &s->p01) ||
				       cmd_opt_double(ctx, "p10", 0, 1, 0, &s->p10)
			       ? ctx->err->code
			       : QCQ_OK;
	}
	if (cmd_opt(call, "p01") || cmd_opt(call, "p10"))
		return cmd_error(ctx, QCQ_EINVAL,
				 "set noise depolarizing: takes p1= and p2= (p01/p10 belong to "
				 "readout)");
	if (strcmp(kind, "depolarizing") != 0 || cmd_nargs(call) != 2)
		return cmd_error(ctx, QCQ_EINVAL,
				 "set noise: expected 'depolarizing p1=P p2=P', 'readout p01=P p10=P' "
				 "or 'off', got '%s'",
				 kind);
	if (!cmd_opt(call, "p1") && !cmd_opt(call, "p2"))
		return cmd_error(ctx, QCQ_EINVAL, "set noise depolarizing: give p1=P and/or p2=P");
	/* Qiskit's depolarizing_error is valid up to 4^n/(4^n-1) */
	if (cmd_opt_double(ctx, "p1", 0, 4.0 / 3.0, 0, &s->p1) ||
	    cmd_opt_double(ctx, "p2", 0, 16.0 / 15.0, 0, &s->p2))
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
	if (s->p1 > 0 || s->p2 > 0)
		cmd_print(ctx, "noise       depolarizing p1=%g p2=%g", s->p1, s->p2);
	else
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
	cmd_json_num(ctx, "p01", s->p01);
	cmd_json_num(ctx, "p10", s->p10);
	cmd_json_int(ctx, "depth", s->depth);
	cmd_json_str(ctx, "observable", obs_name(s->observable));
	cmd_json_int(ctx, "seed", (long long)s->seed);
	cmd_json_bool(ctx, "color", s->color);
	cmd_json_end(ctx);
}

static enum qcq_status exec_set(struct cmd_ctx *ctx, const struct cmd_call *call)
{
	/* validate into a copy: a bad value leaves the settings as they were */
	struct cmd_settings s = ctx->ws->set;
	enum qcq_status st = set_value(ctx, call, &s);
	if (st)
		return st;
	if (s.threads != ctx->ws->set.threads)
		cmd_workspace_set_threads(ctx->ws, s.threads);
	if (s.seed != ctx->ws->set.seed)
		qcq_rng_seed_domain(&ctx->ws->rng, s.seed, "cmd.workspace");
	ctx->ws->set = s;
	ctx->ws->dirty |= CMD_DIRTY_STATE;
	cmd_json_begin(ctx, "set");
	cmd_json_str(ctx, "key", cmd_arg(call, 0));
	cmd_json_end(ctx);
	return QCQ_OK;
}

static const char *const set_options[] = {"p1", "p2", "p01", "p10", NULL};

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.min_args = 1,
	.max_args = 2,
	.options = set_options,
	.usage = "set threads N | jobs N | shots N|exact | noise depolarizing p1=P p2=P | "
		 "noise readout p01=P p10=P | noise off | depth N | observable z0|zz | seed S | "
		 "color on|off",
	.help = "Change a setting; show settings lists them.\n"
		"noise: depolarizing error (Qiskit's parameterisation) p1 after every 1-qubit "
		"gate and p2 after every 2-qubit gate of the quantum classifier and of circuits "
		"run with step/run/expect; noise readout: a measured 0 reads as 1 with p01 and "
		"a 1 as 0 with p10 in measure (off clears both kinds). shots: finite-shot estimates instead of exact "
		"expectations. depth: RealAmplitudes reps of the classifier (1, 2, 3 give 4, 6, "
		"8 angles). threads: all of the program's threads, OpenBLAS's included.",
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
	.flags = CMD_F_JOB_SAFE | CMD_F_NO_RECORD,
	.exec = exec_show_settings,
};
