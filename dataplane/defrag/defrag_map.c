/* SPDX-License-Identifier: MIT */
/* The bsd ownership map of one datagram (see defrag_map.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "defrag_map.h"

#define IMG_MAX  65535u   /* an IP datagram's payload never exceeds it */
#define SEG_MIN  8u
#define IMG_MIN  2048u

/* Capacities grow by doubling so that in-order arrival copies each byte a
 * bounded number of times. */
static uint32_t grow(uint32_t cap, uint32_t need, uint32_t min, uint32_t max)
{
	uint32_t c = cap ? cap : min;

	if (need <= cap)
		return cap;
	while (c < need)
		c = c > max / 2 ? max : c * 2;
	return c < need ? need : c;
}

static uint32_t img_cap_for(const struct defrag_map *m, uint32_t end)
{
	return grow(m->img_cap, end, IMG_MIN, IMG_MAX);
}

/* At most one segment is added per fragment. */
static uint32_t seg_cap_for(const struct defrag_map *m)
{
	return grow(m->seg_cap, m->nseg + 1, SEG_MIN, UINT32_MAX / 2);
}

uint32_t defrag_map_mem(const struct defrag_map *m)
{
	return m->img_cap + m->seg_cap * (uint32_t)sizeof(struct defrag_seg);
}

uint32_t defrag_map_mem_after(const struct defrag_map *m, uint32_t off, uint32_t len)
{
	return img_cap_for(m, off + len) + seg_cap_for(m) * (uint32_t)sizeof(struct defrag_seg);
}

/* First segment owned above off (owners are sorted). */
static uint32_t first_owned_above(const struct defrag_map *m, uint32_t off)
{
	uint32_t lo = 0, hi = m->nseg;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->seg[mid].owner <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int reserve(struct defrag_map *m, uint32_t end)
{
	uint32_t ic = img_cap_for(m, end), sc = seg_cap_for(m);

	if (ic != m->img_cap) {
		uint8_t *img = realloc(m->img, ic);

		if (img == NULL)
			return -ENOMEM;
		m->img = img;
		m->img_cap = ic;
	}
	if (sc != m->seg_cap) {
		struct defrag_seg *seg = realloc(m->seg, sc * sizeof(*seg));

		if (seg == NULL)
			return -ENOMEM;
		m->seg = seg;
		m->seg_cap = sc;
	}
	return 0;
}

int defrag_map_put(struct defrag_map *m, uint32_t off, const uint8_t *data, uint32_t len,
		   struct defrag_put *res)
{
	uint32_t end = off + len, i = first_owned_above(m, off), j, from = off;

	res->overlap = false;
	res->won = 0;
	/* [off, from) belongs to fragments at lower (or equal, earlier) offsets */
	if (i > 0 && m->seg[i - 1].end > off) {
		from = m->seg[i - 1].end;
		res->overlap = true;
	}
	if (from >= end)
		return 0;
	if (reserve(m, end) != 0)
		return -ENOMEM;
	/* every segment from i on is owned above off: the new one wins there */
	for (j = i; j < m->nseg && m->seg[j].end <= end; j++) {
		m->covered -= m->seg[j].end - m->seg[j].start;
		res->overlap = true;
	}
	if (j < m->nseg && m->seg[j].start < end) {
		m->covered -= end - m->seg[j].start;
		m->seg[j].start = end;
		res->overlap = true;
	}
	if (j == i) {
		memmove(&m->seg[i + 1], &m->seg[i], (m->nseg - i) * sizeof(*m->seg));
		m->nseg++;
	} else if (j > i + 1) {
		memmove(&m->seg[i + 1], &m->seg[j], (m->nseg - j) * sizeof(*m->seg));
		m->nseg -= j - i - 1;
	}
	m->seg[i] = (struct defrag_seg){ .start = from, .end = end, .owner = off };
	memcpy(m->img + from, data + (from - off), end - from);
	m->covered += end - from;
	res->won = end - from;
	return 0;
}

void defrag_map_clip(struct defrag_map *m, uint32_t end)
{
	while (m->nseg > 0 && m->seg[m->nseg - 1].start >= end) {
		m->nseg--;
		m->covered -= m->seg[m->nseg].end - m->seg[m->nseg].start;
	}
	if (m->nseg > 0 && m->seg[m->nseg - 1].end > end) {
		m->covered -= m->seg[m->nseg - 1].end - end;
		m->seg[m->nseg - 1].end = end;
	}
}

void defrag_map_free(struct defrag_map *m)
{
	free(m->seg);
	free(m->img);
	*m = (struct defrag_map){ 0 };
}
