// SPDX-License-Identifier: MIT
/* An FTP data connection as Suricata 7's ftp-data parser (FTPDataParse in
 * app-layer-ftp.c) sees it: one transaction for the whole connection,
 * carrying the one file its control connection announced (the RETR or
 * STOR argument names it). The file opens with the first byte flowing in
 * the announced direction (bytes the other way are ignored) and closes
 * complete when that direction ends (its FIN, RST or the flow's end). The
 * transaction is done then; the other direction never holds anything.
 * Until the file opens, EVE's ftp_data object names neither file nor
 * command, as Suricata's, whose state takes them at that moment.
 * (added) The file's first FTPDATA_FILE_DATA_MAX bytes are kept for the
 * file_data of ftp-data rules (Suricata 7 registers file_data for
 * ftp-data), until the transaction is let go. */
#include <errno.h>
#include <stdlib.h>

#include "app_file.h"
#include "applayer-int.h"

struct ftpdata_state {
	struct app_flow *af;
	struct app_tx tx;         /* the one transaction, id 0 */
	struct app_ftp_xfer *xfer; /* the announced transfer, NULL: none known */
	struct app_file *file;    /* with files tracked: the transfer's */
	bool opened;              /* a byte came in the transfer's direction */
	bool done;                /* that direction ended */
	bool released;            /* the transaction was let go (app_tx_done) */
	struct abuf data;         /* the file's first bytes, for file_data */
};

/* file_data of an ftp-data rule sees this much of a transfer, as the
 * attachments of a mail (MIME_FILE_MAX) and Suricata's default
 * stream.reassembly.depth, which ends what its ftp-data parser gets. */
#define FTPDATA_FILE_DATA_MAX (1u << 20)

struct ftpdata_state *app_ftpdata_new(struct app_flow *af, struct app_ftp_xfer *xfer)
{
	struct ftpdata_state *fs = calloc(1, sizeof(*fs));

	if (fs == NULL) {
		free(xfer);
		return NULL;
	}
	fs->af = af;
	fs->xfer = xfer;
	fs->data.mem = af->ctx->mem;
	fs->tx.id = af->next_tx_id++;
	return fs;
}

void app_ftpdata_free(struct ftpdata_state *fs)
{
	if (fs == NULL)
		return;
	app_file_free(fs->file);
	abuf_free(&fs->data);
	free(fs->xfer);
	app_tx_release(&fs->tx);
	free(fs);
}

/* The transfer's direction, or -1 when none was announced. */
static int xfer_dir(const struct ftpdata_state *fs)
{
	return fs->xfer != NULL ? fs->xfer->dir : -1;
}

void app_ftpdata_data(struct applayer_ctx *ctx, struct ftpdata_state *fs, enum app_dir dir,
		      const uint8_t *d, uint32_t len)
{
	if ((int)dir != xfer_dir(fs) || fs->done || len == 0)
		return;
	if (!fs->opened) {
		fs->opened = true;
		if (ctx->cfg.files) {
			fs->file = app_file_open((const uint8_t *)fs->xfer->name,
						 fs->xfer->name_len, ctx->cfg.file_hashes,
						 ctx->magic);
			if (fs->file == NULL)
				ctx->stats.nomem++;
		}
	}
	if (fs->file != NULL)
		app_file_data(fs->file, d, len);
	if (fs->data.len < FTPDATA_FILE_DATA_MAX &&
	    abuf_append_max(&fs->data, d, len, FTPDATA_FILE_DATA_MAX) == len)
		ctx->stats.nomem++;
	fs->tx.updated = APP_TX_UPDATED;
}

void app_ftpdata_eof(struct ftpdata_state *fs, enum app_dir dir)
{
	if ((int)dir != xfer_dir(fs) || fs->done)
		return;
	fs->done = true;
	fs->tx.updated = APP_TX_UPDATED;
	if (fs->file == NULL)
		return;
	app_file_close(fs->file, false);
	app_file_event(fs->af, &fs->tx, dir);
}

uint32_t app_ftpdata_ntx(const struct ftpdata_state *fs)
{
	return fs->released ? 0 : 1;
}

struct app_tx *app_ftpdata_tx(struct ftpdata_state *fs, uint32_t i)
{
	return i == 0 && !fs->released ? &fs->tx : NULL;
}

void app_ftpdata_inspected(struct ftpdata_state *fs, uint8_t dirs)
{
	fs->tx.updated &= (uint8_t)~dirs;
	/* complete and inspected both ways: logged now (ftp_data, the files
	 * not logged yet), its state kept until the flow goes */
	if (fs->done && !fs->tx.updated && !fs->released) {
		app_tx_done(fs->af, &fs->tx);
		fs->released = true;
		abuf_free(&fs->data);
	}
}

struct app_file *const *app_ftpdata_files(struct ftpdata_state *fs, enum app_dir dir,
					  uint32_t *n)
{
	*n = fs->file != NULL && (int)dir == xfer_dir(fs) ? 1 : 0;
	return &fs->file;
}

int app_ftpdata_buffer(const struct ftpdata_state *fs, enum app_dir dir, const uint8_t **data,
		       uint32_t *len)
{
	if (!fs->opened || (int)dir != xfer_dir(fs))
		return -ENOENT;
	*data = fs->data.p;
	*len = fs->data.len;
	return 0;
}

bool app_ftpdata_done(const struct ftpdata_state *fs, enum app_dir dir)
{
	return fs->done || (int)dir != xfer_dir(fs);
}

int app_ftpdata_info(const struct ftpdata_state *fs, struct app_ftpdata_info *out)
{
	*out = (struct app_ftpdata_info){ 0 };
	if (!fs->opened)
		return 0;
	out->name = fs->xfer->name;
	out->name_len = fs->xfer->name_len;
	out->command = fs->xfer->cmd == APP_FTP_STOR ? "STOR" : "RETR";
	return 0;
}
