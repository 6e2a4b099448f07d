/*
 * cmd/cmd-family-data.c: the data commands, as one array of the command table,
 * and the release of the workspace fields they own.
 */
#include "cmd-internal.h"
#include "qcq/data.h"
#include "qcq/qml.h"

extern const struct cmd_entry cmd_filter_entry;
extern const struct cmd_entry cmd_load_synth_entry, cmd_load_mnist_entry,
	cmd_load_fashion_mnist_entry, cmd_load_idx_entry, cmd_load_folder_entry, cmd_load_csv_entry,
	cmd_load_npy_entry, cmd_load_features_entry, cmd_classes_entry, cmd_split_entry, cmd_stats_entry, cmd_show_image_entry,
	cmd_quanv_entry, cmd_heatmap_entry, cmd_patch_entry, cmd_export_npy_entry,
	cmd_export_png_entry, cmd_fetch_entry;
const struct cmd_entry *const cmd_family_data[] = {
	&cmd_filter_entry,
	&cmd_load_synth_entry,
	&cmd_load_mnist_entry,
	&cmd_load_fashion_mnist_entry,
	&cmd_load_idx_entry,
	&cmd_load_folder_entry,
	&cmd_load_csv_entry,
	&cmd_load_npy_entry,
	&cmd_load_features_entry,
	&cmd_classes_entry,
	&cmd_split_entry,
	&cmd_stats_entry,
	&cmd_show_image_entry,
	&cmd_quanv_entry,
	&cmd_heatmap_entry,
	&cmd_patch_entry,
	&cmd_export_npy_entry,
	&cmd_export_png_entry,
	&cmd_fetch_entry,
	NULL,
};

void cmd_data_release(struct cmd_workspace *ws)
{
	data_features_free(ws->features);
	data_features_free(ws->set_features);
	ws->set_features = NULL;
	data_split_free(ws->split);
	data_set_free(ws->data);
	qml_filter_destroy(ws->filter);
	ws->features = NULL;
	ws->split = NULL;
	ws->data = NULL;
	ws->filter = NULL;
}
