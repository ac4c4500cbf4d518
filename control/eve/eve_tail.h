/* SPDX-License-Identifier: MIT */
/* Follow the dataplane's eve.json as `tail -F` does, on the event loop:
 * a timer reads what was appended since the last turn and hands over each
 * complete line. A rotation (the path names another inode: logrotate's
 * create mode) is followed after the old file is drained; a truncation
 * (copytruncate) restarts at the beginning. Reads are bounded per turn so
 * a burst of alerts cannot hold the loop. */
#ifndef IDS_EVE_TAIL_H
#define IDS_EVE_TAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct eve_tail;

/* One complete line, without its newline; valid during the call only. */
typedef void (*eve_tail_cb)(void *ctx, const char *line, size_t len);

struct eve_tail_stats {
	uint64_t lines;			/* complete lines handed over */
	uint64_t bytes;
	uint64_t rotations;		/* another file under the path */
	uint64_t truncations;		/* the same file, shorter than what was read */
	uint64_t long_lines;		/* longer than the buffer: dropped */
	uint64_t read_errors;
};

/* Start following path every period_us. A file already there is followed
 * from its end (what was written before is history, not news); one that
 * appears later, from its beginning. NULL on allocation failure. */
struct eve_tail *eve_tail_new(struct loop *l, const char *path, uint64_t period_us,
			      eve_tail_cb cb, void *ctx);
void eve_tail_free(struct eve_tail *t);
const struct eve_tail_stats *eve_tail_stats(const struct eve_tail *t);

/* True for an EVE line whose event_type is "alert". */
bool eve_line_is_alert(const char *line, size_t len);

#endif
