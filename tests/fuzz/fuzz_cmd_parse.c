/*
 * tests/fuzz/fuzz_cmd_parse.c: libFuzzer target for the command-language parser and
 * the runner's argument checks. Any input must parse or fail with a message, never
 * crash; a parsed call must print back (save-session) to text that parses again to
 * the same words.
 */
#include "qcq/cmd.h"
#include "cmd/cmd-internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	const char *names[] = {"data"}, *values[] = {"/d"};
	struct cmd_vars vars = {1, names, values};
	struct cmd_list l;
	struct qcq_error err;
	if (cmd_parse(text, "fuzz", 1, &vars, &l, &err) == QCQ_OK) {
		for (size_t i = 0; i < l.n; i++) {
			char *back = cmd_call_to_text(&l.calls[i]);
			struct cmd_list l2;
			if (cmd_parse(back, "fuzz", 1, NULL, &l2, &err) != QCQ_OK || l2.n != 1 ||
			    l2.calls[0].argc != l.calls[i].argc || l2.calls[0].nopt != l.calls[i].nopt)
				abort();
			for (int k = 0; k < l.calls[i].argc; k++)
				if (strcmp(l.calls[i].argv[k], l2.calls[0].argv[k]) != 0)
					abort();
			cmd_list_free(&l2);
			free(back);
			/* lookup and the help of whatever it names must not crash */
			cmd_find(l.calls[i].argv[0], &err);
		}
		cmd_list_free(&l);
	}
	free(text);
	return 0;
}
