/*
 * cmd/cmd-family-core.c: the commands of the command layer itself, and the parents
 * of the sub-command families (load, save, show, export, circuit).
 */
#include "cmd-internal.h"

extern const struct cmd_entry cmd_help_entry, cmd_echo_entry, cmd_source_entry,
	cmd_tour_entry, cmd_set_entry, cmd_show_settings_entry, cmd_quit_entry, cmd_stop_entry,
	cmd_save_session_entry, cmd_load_entry, cmd_save_entry, cmd_show_entry,
	cmd_export_entry, cmd_circuit_entry, cmd_pause_entry, cmd_view_entry;

const struct cmd_entry *const cmd_family_core[] = {
	&cmd_help_entry,
	&cmd_echo_entry,
	&cmd_source_entry,
	&cmd_tour_entry,
	&cmd_pause_entry,
	&cmd_view_entry,
	&cmd_set_entry,
	&cmd_show_entry,
	&cmd_show_settings_entry,
	&cmd_load_entry,
	&cmd_save_entry,
	&cmd_export_entry,
	&cmd_circuit_entry,
	&cmd_stop_entry,
	&cmd_save_session_entry,
	&cmd_quit_entry,
	NULL,
};
