/*
 * tests/fuzz/fuzz_qasm.c: libFuzzer target for the OpenQASM 2.0 importer and the angle
 * expression parser. Any input must parse or fail with a "line L, col C" message, never
 * crash. A parsed circuit must export to text that parses again to the same gate list,
 * and small circuits are run (state norm 1). Build by hand, e.g.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *     tests/fuzz/fuzz_qasm.c src/qsim/(*).c src/core/(*).c -lm -lpthread -o fuzz_qasm
 *   ./fuzz_qasm -max_total_time=120 tests/fuzz/corpus-qasm
 */
#include "qcq/qsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_roundtrip(const struct qs_circuit *c)
{
	char *text;
	struct qcq_error err;
	if (qs_qasm_format(c, NULL, NULL, &text, &err) != QCQ_OK)
		abort(); /* imported circuits have constant angles */
	struct qs_circuit *back;
	if (qs_qasm_parse(text, strlen(text), &back, &err) != QCQ_OK)
		abort();
	if (back->ngates != c->ngates || back->nqubits != c->nqubits || back->nmeas != c->nmeas)
		abort();
	for (size_t k = 0; k < c->ngates; k++) {
		if (back->gates[k].kind != c->gates[k].kind)
			abort();
		for (int j = 0; j < qs_gate_info(c->gates[k].kind)->nangles; j++) {
			double a = qs_angle_eval(&c->gates[k].angle[j], NULL, NULL);
			double b = qs_angle_eval(&back->gates[k].angle[j], NULL, NULL);
			if (!(a == b || (isnan(a) && isnan(b))))
				abort();
		}
	}
	qs_circuit_destroy(back);
	free(text);
}

static void run_small(const struct qs_circuit *c)
{
	if (c->nqubits > 8 || c->ngates > 2000)
		return;
	struct qs_exec *e;
	if (qs_exec_create(c, NULL, &e, NULL) != QCQ_OK)
		abort();
	qs_exec_run(e, NULL);
	double t = qs_calc_trace(qs_exec_state(e));
	if (isfinite(t) && fabs(t - 1) > 1e-6)
		abort();
	qs_exec_destroy(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qs_circuit *c;
	struct qcq_error err;
	if (qs_qasm_parse((const char *)data, size, &c, &err) == QCQ_OK) {
		check_roundtrip(c);
		run_small(c);
		qs_circuit_destroy(c);
	} else if (strncmp(err.msg, "line ", 5) != 0) {
		abort(); /* every import error names its line */
	}
	/* the same bytes as an angle expression */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	struct qs_angle a;
	int col;
	if (strlen(text) == size && qs_angle_parse(text, &a, &col, &err) == QCQ_OK) {
		char buf[512];
		double x[8] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
		uint32_t nx, nw;
		qs_angle_vars(&a, &nx, &nw);
		qs_angle_format(&a, buf, sizeof buf);
		if (nx <= 8 && nw <= 8) {
			qs_angle_eval(&a, x, x);
			qs_angle_diff(&a, x, x, nw > 0, 0);
		}
	}
	free(text);
	return 0;
}
