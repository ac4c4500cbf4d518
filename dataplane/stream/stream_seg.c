/* SPDX-License-Identifier: MIT */
/* One direction's byte store: the contiguous buffer and the segments held
 * back behind a hole. Overlap policy: the bytes stored first win, always;
 * a segment is split into the pieces nobody stored yet, and only those are
 * taken. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/memcap.h"
#include "../../common/wmem.h"
#include "stream-int.h"

#define BUF_MIN 512u
#define BUF_MAX (1u << 20)  /* per direction; the inspection triggers keep it far lower */

static bool mem_take(struct stream_ctx *sc, uint64_t n)
{
	if (!memcap_take(sc->reasm_mem, n)) {
		sc->stats.segment_memcap_drop++;
		return false;
	}
	sc->stats.reassembly_memuse += n;
	return true;
}

static void mem_give(struct stream_ctx *sc, uint64_t n)
{
	sc->stats.reassembly_memuse -= n;
	memcap_give(sc->reasm_mem, n);
}

/* Room for more bytes after buf: at the block's end, else by sliding buf
 * back to the block's start, else in a block twice as large (or more). The
 * block grows exactly when buf's bytes and the new ones exceed it, as if
 * every drop had moved the bytes at once. */
static bool buf_reserve(struct stream_ctx *sc, struct stream_dir *d, uint32_t more)
{
	uint32_t want = d->len + more, cap = d->cap ? d->cap : BUF_MIN;
	uint8_t *block = stream_dir_block(d), *nb;

	if (d->head + want <= d->cap)
		return true;
	if (want <= d->cap) {
		memmove(block, d->buf, d->len);
		d->buf = block;
		d->head = 0;
		return true;
	}
	if (want > BUF_MAX)
		return false;
	while (cap < want)
		cap *= 2;
	if (cap > BUF_MAX)
		cap = BUF_MAX;
	if (!mem_take(sc, cap - d->cap))
		return false;
	nb = wmem_alloc(sc->mem, cap, &cap);
	if (nb == NULL) {
		mem_give(sc, cap - d->cap);
		return false;
	}
	if (d->len > 0)
		memcpy(nb, d->buf, d->len);
	wmem_free(sc->mem, block, d->cap);
	d->buf = nb;
	d->cap = cap;
	d->head = 0;
	return true;
}

/* Depth: how many of len new bytes may still be taken. */
static uint32_t depth_allow(struct stream_ctx *sc, struct stream_dir *d, uint32_t len)
{
	uint64_t depth = sc->cfg.depth;

	if (depth == 0)
		return len;
	if (d->accepted >= depth) {
		if (!(d->flags & SD_F_DEPTH)) {
			d->flags |= SD_F_DEPTH;
			sc->stats.depth_reached++;
		}
		return 0;
	}
	return d->accepted + len > depth ? (uint32_t)(depth - d->accepted) : len;
}

static bool append(struct stream_ctx *sc, struct stream_dir *d, const uint8_t *b, uint32_t n)
{
	if (!buf_reserve(sc, d, n))
		return false;
	memcpy(d->buf + d->len, b, n);
	d->len += n;
	return true;
}

static void ooo_remove(struct stream_ctx *sc, struct stream_dir *d, unsigned i)
{
	mem_give(sc, d->ooo[i].len);
	d->ooo_bytes -= d->ooo[i].len;
	free(d->ooo[i].data);
	memmove(&d->ooo[i], &d->ooo[i + 1], (d->nooo - i - 1) * sizeof(d->ooo[0]));
	d->nooo--;
}

/* Held-back segments that now follow buf move into it. */
static void drain(struct stream_ctx *sc, struct stream_dir *d)
{
	while (d->nooo > 0) {
		struct stream_seg *s = &d->ooo[0];
		uint32_t right = d->base_seq + d->len, skip;

		if (!seq_leq(s->seq, right))
			return;
		skip = right - s->seq;
		if (skip < s->len && !append(sc, d, s->data + skip, s->len - skip))
			return;	/* stays held back; a later drain or the flush retries */
		ooo_remove(sc, d, 0);
	}
}

static bool ooo_store(struct stream_ctx *sc, struct stream_dir *d, uint32_t seq,
		      const uint8_t *b, uint32_t n)
{
	unsigned i = 0;
	uint8_t *copy;

	if (d->nooo >= STREAM_OOO_MAX || d->ooo_bytes + n > STREAM_OOO_BYTES_MAX) {
		sc->stats.ooo_limit++;
		return false;
	}
	if (!mem_take(sc, n))
		return false;
	copy = malloc(n);
	if (copy == NULL) {
		mem_give(sc, n);
		return false;
	}
	memcpy(copy, b, n);
	while (i < d->nooo && seq_lt(d->ooo[i].seq, seq))
		i++;
	memmove(&d->ooo[i + 1], &d->ooo[i], (d->nooo - i) * sizeof(d->ooo[0]));
	d->ooo[i] = (struct stream_seg){ .seq = seq, .len = n, .data = copy };
	d->nooo++;
	d->ooo_bytes += n;
	return true;
}

/* Bytes [c, c+n) of the segment are stored already at have: compare, and
 * give the stored bytes to the rewrite buffer. */
static void covered(struct seg_result *res, const uint8_t *seg, const uint8_t *have,
		    uint32_t n, uint8_t *rewrite)
{
	res->overlap = true;
	if (memcmp(seg, have, n) != 0) {
		res->diff = true;
		if (rewrite != NULL)
			memcpy(rewrite, have, n);
	}
}

/* The first held-back segment that ends after c, or NULL. */
static struct stream_seg *ooo_after(struct stream_dir *d, uint32_t c)
{
	for (unsigned i = 0; i < d->nooo; i++)
		if (seq_lt(c, d->ooo[i].seq + d->ooo[i].len))
			return &d->ooo[i];
	return NULL;
}

int stream_dir_add(struct stream_ctx *sc, struct stream_dir *d, uint32_t seq,
		   const uint8_t *data, uint32_t len, uint8_t *rewrite, struct seg_result *res)
{
	uint32_t c = seq, end = seq + len;

	*res = (struct seg_result){ 0 };
	/* bytes before buf[0] were inspected and dropped: nothing to compare */
	if (seq_lt(c, d->base_seq))
		c = seq_lt(end, d->base_seq) ? end : d->base_seq;
	while (seq_lt(c, end)) {
		uint32_t right = d->base_seq + d->len;
		const uint8_t *src = data + (c - seq);
		uint8_t *rw = rewrite ? rewrite + (c - seq) : NULL;
		struct stream_seg *s;
		uint32_t n, stop;

		drain(sc, d);
		right = d->base_seq + d->len;
		if (seq_lt(c, right)) {
			n = (seq_lt(end, right) ? end : right) - c;
			covered(res, src, d->buf + (c - d->base_seq), n, rw);
			c += n;
			continue;
		}
		s = ooo_after(d, c);
		if (s != NULL && seq_leq(s->seq, c)) {
			stop = seq_lt(end, s->seq + s->len) ? end : s->seq + s->len;
			covered(res, src, s->data + (c - s->seq), stop - c, rw);
			c = stop;
			continue;
		}
		stop = (s != NULL && seq_lt(s->seq, end)) ? s->seq : end;
		n = depth_allow(sc, d, stop - c);
		if (n == 0) {
			res->dropped = true;
			break;
		}
		if (c == right ? !append(sc, d, src, n) : !ooo_store(sc, d, c, src, n)) {
			res->dropped = true;
			break;
		}
		if (sc->cfg.depth != 0)
			d->accepted += n;
		res->added = true;
		c += n;
	}
	drain(sc, d);
	return res->dropped ? -ENOMEM : 0;
}

bool stream_dir_skip_gap(struct stream_ctx *sc, struct stream_dir *d)
{
	uint32_t right = d->base_seq + d->len;

	if (d->nooo == 0)
		return false;
	d->gap_before = d->ooo[0].seq - right;
	d->base_seq = d->ooo[0].seq;
	d->buf = stream_dir_block(d);
	d->head = 0;
	d->len = 0;
	d->insp = 0;
	d->app = 0;
	d->settled = 0;
	/* the app layer learns of it now, unless it was told when acked past */
	if (d->flags & SD_F_GAP_TOLD)
		d->flags &= (uint8_t)~SD_F_GAP_TOLD;
	else
		d->flags |= SD_F_APP_GAP;
	sc->stats.reassembly_gap++;
	drain(sc, d);
	return true;
}

void stream_dir_compact(struct stream_dir *d, uint32_t keep, bool app_layer)
{
	uint32_t drop;

	if (d->insp <= keep)
		return;
	drop = d->insp - keep;
	if (app_layer && d->app < drop)
		drop = d->app;	/* bytes the app layer has not parsed stay */
	if (drop == 0)
		return;
	/* no copy: buf moves on (an empty one back to its block's start) */
	if (d->len == drop) {
		d->buf = stream_dir_block(d);
		d->head = 0;
	} else {
		d->buf += drop;
		d->head += drop;
	}
	d->len -= drop;
	d->insp -= drop;
	d->app -= app_layer ? drop : 0;
	d->settled -= d->settled < drop ? d->settled : drop;
	d->base_seq += drop;
	d->gap_before = 0;
}

void stream_dir_retire(struct stream_ctx *sc, struct stream_dir *d)
{
	d->base_seq += d->len;
	mem_give(sc, d->cap);
	wmem_free(sc->mem, stream_dir_block(d), d->cap);
	d->buf = NULL;
	d->len = d->cap = d->head = d->insp = d->app = d->settled = 0;
	d->gap_before = 0;
}

void stream_dir_release(struct stream_ctx *sc, struct stream_dir *d)
{
	while (d->nooo > 0)
		ooo_remove(sc, d, d->nooo - 1);
	mem_give(sc, d->cap);
	wmem_free(sc->mem, stream_dir_block(d), d->cap);
	*d = (struct stream_dir){ 0 };
}
