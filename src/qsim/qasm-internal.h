/*
 * qsim/qasm-internal.h: what the three parts of the OpenQASM 2.0 importer share: the
 * parser state, registers, gate definitions, and the functions each part offers the
 * others. qasm-scan.c reads tokens and angle expressions and formats errors,
 * qasm-gatedef.c reads gate definitions and expands their calls, qasm.c reads the
 * statements and holds the public entry points.
 */
#ifndef QCQ_QSIM_QASM_INTERNAL_H
#define QCQ_QSIM_QASM_INTERNAL_H

#include "qsim-internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_REGS 64
#define MAX_NAME 64
#define MAX_ARGS 16        /* qubits or parameters of a call or definition (built-ins: 3) */
#define MAX_DEFS 256       /* gate definitions in one file */
#define MAX_NEST 32        /* definitions calling definitions */
#define MAX_BODY 65536     /* statements plus parameters in all bodies together */
#define MAX_EXPR 256       /* characters of one angle expression in a body */
#define MAX_EXPANDED 100000 /* gates all calls of definitions may add (1 KB each) */

struct reg {
	char name[MAX_NAME + 1];
	int offset, size;
};

/* One body statement: built-in k (def < 0) or definition def on formal qubits q[], its
 * angles ang[first .. first + na) of the enclosing definition. */
struct op {
	enum qs_gate_kind k;
	int def, nq, na, first;
	int q[MAX_ARGS];
	size_t at;
};

struct gatedef {
	char name[MAX_NAME + 1];
	size_t at;      /* of the name */
	int np, nq, depth;
	bool builtin;   /* a name qsim simulates: checked when read, but calls use the built-in */
	uint64_t cost;  /* gates one call adds, saturated at MAX_EXPANDED + 1 */
	struct op *ops;
	struct qs_angle *ang;
	int nops, nang, capops, capang;
};

/* The definition being read and its formal names. */
struct body {
	struct gatedef d;
	char par[MAX_ARGS][MAX_NAME + 1], qub[MAX_ARGS][MAX_NAME + 1];
};

struct qp {
	const char *s;
	size_t len, pos, line_start;
	int line;
	struct reg qregs[MAX_REGS], cregs[MAX_REGS];
	int nq, nc, total_q, total_c;
	struct gatedef *defs; /* MAX_DEFS entries once the first definition is read */
	int ndefs, nbody;     /* nbody: statements plus parameters in all bodies */
	uint64_t nexpanded;   /* gates added by calls of definitions so far */
	struct body *body;    /* set while a definition is read */
	const char *ctx;      /* errors say "in gate 'ctx'" (and "called at call_at") */
	bool in_call;
	size_t call_at;
	struct qs_circuit *c;
	struct qcq_error *err;
};

/* One gate argument: a register and an index or -1 for the whole register; in a body,
 * r is NULL and index is the formal qubit. */
struct arg {
	const struct reg *r;
	int index;
	size_t at;
};

/* What a gate name calls: a built-in (u2 is U with theta = pi/2) or definition def. */
struct callee {
	enum qs_gate_kind k;
	int def, np, nq; /* nq -1: any number (barrier) */
	bool u2;
};

/* ---- qasm-scan.c: positions, errors, tokens, angle expressions */

/* Line and column (1-based) of offset at. */
void qs_qasm_where(const struct qp *p, size_t at, int *line, size_t *col);
/* QCQ_EFORMAT "line L, col C: [in gate 'g'[ called at ...]: ]message". */
enum qcq_status qs_qasm_failf(struct qp *p, size_t at, const char *fmt, ...) QCQ_PRINTF(3, 4);
/* An error at `at` in the body of d while expanding the call at p->call_at. */
enum qcq_status qs_qasm_fail_in(struct qp *p, const struct gatedef *d, size_t at, const char *fmt,
			     ...) QCQ_PRINTF(4, 5);
/* The circuit's own error (in p->err) reported at `at`. */
enum qcq_status qs_qasm_circuit_fail(struct qp *p, size_t at);
/* Skips white space and // comments, counting lines. */
void qs_qasm_skip(struct qp *p);
bool qs_qasm_at_char(struct qp *p, char ch);
enum qcq_status qs_qasm_expect(struct qp *p, char ch);
/* A name of at most MAX_NAME characters into out. */
enum qcq_status qs_qasm_ident(struct qp *p, char *out);
enum qcq_status qs_qasm_integer(struct qp *p, long max, int *out);
/* Index of name in names[0 .. n), or -1. */
int qs_qasm_find_name(char (*names)[MAX_NAME + 1], int n, const char *name);
/* An angle expression at p->pos: constant at the top level; in a body, over the formal
 * parameters as w0, w1, ... */
enum qcq_status qs_qasm_expr(struct qp *p, struct qs_angle *out);

/* ---- qasm.c: statements */

/* Qubit k of argument a (its index, or element k of a whole register). */
int qs_qasm_arg_at(const struct arg *a, int k);
/* A gate statement after its name (at: the name's offset): at the top level it adds
 * gates to the circuit, inside a definition it adds a body statement. */
enum qcq_status qs_qasm_gate(struct qp *p, const char *name, size_t at);

/* ---- qasm-gatedef.c: gate definitions */

/* What name calls (a built-in, u2, or an earlier definition); false if nothing. */
bool qs_qasm_resolve(const struct qp *p, const char *name, struct callee *ce);
/* Appends a statement to the definition being read (p->body). */
enum qcq_status qs_qasm_add_op(struct qp *p, const struct callee *ce, const char *name,
			    const struct qs_angle *ang, const struct arg *args, int nargs,
			    size_t at);
/* A top-level call of d with constant angles, broadcast size times: the expansion
 * budget is checked first, then the body is expanded inline for each index. */
enum qcq_status qs_qasm_call(struct qp *p, const struct gatedef *d, const struct qs_angle *ang,
			  const struct arg *args, int nargs, int size, size_t at);
/* `gate name(params) qubits { body }` after the keyword: read, checked, stored. */
enum qcq_status qs_qasm_definition(struct qp *p);
void qs_qasm_free_defs(struct qp *p);

#endif
