/* SPDX-License-Identifier: MIT */
/* The per-packet path of one worker: decode -> defrag -> flow -> stream ->
 * detect -> verdict -> output (a datagram completed by a fragment is run
 * through the same stages after it); a flow's streams are inspected one last time when it
 * leaves the table. Knows nothing of DPDK, so tests and benchmarks drive it with plain
 * buffers; the worker loop feeds it mbuf data. */
#ifndef IDS_PIPELINE_H
#define IDS_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "counters.h"
#include "pipeline_tag.h"
#include "../decode/decode.h"
#include "../defrag/defrag.h"
#include "../flow/flow.h"
#include "../stream/stream.h"
#include "../detect/detect.h"
#include "../output/eve.h"
#include "../applayer/applayer.h"
#include "../hoststate/seq_gate.h"
#include "exception.h"
#include "../../common/bug.h"

/* Tunnel packets nested in one frame at most: each is a decoder layer. */
#define PIPELINE_TUNNEL_MAX DECODE_MAX_LAYERS_LIMIT
/* Ports one worker polls at most (its RX queues, or autofp's ports). */
#define PIPELINE_MAX_INPUTS 8
/* (added) Timed-out flows one packet releases at most (pipeline.c). */
#define PIPELINE_EXPIRE_BUDGET 8u
/* (added) Timed-out flows one pipeline_idle() call releases at most. */
#define PIPELINE_IDLE_BUDGET 256u

/* (added) A port the worker's frames come from. */
struct pipeline_input {
	const char *iface;                /* "in_iface" of its records; NULL: none
					   * (a capture file), not copied */
	bool csum_check;                  /* its checksum-checks */
};

struct pipeline_config {
	struct decode_opts decode;
	struct flow_config flow;
	struct defrag_config defrag;      /* zero: Suricata's defaults */
	struct stream_config stream;      /* zero: Suricata's defaults, IDS mode */
	bool stream_off;                  /* packets only, no reassembly (ids-bench prices it) */
	struct applayer_config app;       /* (added) zero: Suricata's defaults */
	const struct detect_engine *de;   /* NULL: decode and flow only (benchmarks) */
	uint32_t nrules;                  /* for the alerts-by-rule tally (rule->order) */
	bool ips;                         /* drop verdicts are enforced (inline, --simulate-ips) */
	struct exc_config exc;            /* (added) exception policies; zero: ignore all */
	struct eve_file *eve;             /* NULL: no output */
	struct eve_options eve_opt;
	/* the worker's ports, by the index pipeline_input takes (decode's
	 * csum_check is replaced by each one's); ninputs 0: one, unnamed,
	 * checking as decode.csum_check says */
	struct pipeline_input inputs[PIPELINE_MAX_INPUTS];
	uint8_t ninputs;
	int socket;                       /* NUMA node for the worker's state, -1: any */
	/* (added) a capture read by several workers: the app layer's shared
	 * expectations are used in capture order, as worker_id at this gate
	 * (dataplane/hoststate/seq_gate.h); NULL: no order to keep */
	struct seq_gate *gate;
};

struct pipeline {
	struct counters cnt;
	struct decode_opts decode;
	bool ips;
	bool stream_inline;               /* (added) stream.inline: parsers run per packet */
	struct defrag_ctx *df;
	struct flow_table *ft;
	struct stream_ctx *st;
	struct detect_thread *dt;
	struct applayer_ctx *al;          /* (added) app-layer parsers */
	struct eve_writer *eve;
	struct eve_options eve_opt;       /* which records pl->eve writes */
	uint64_t *alerts_by_rule;         /* indexed by rule->order */
	uint32_t nrules;
	/* (added) see pipeline_config; input: the index of the one the
	 * frames being run come from, which a new flow keeps (flow->input) */
	struct pipeline_input inputs[PIPELINE_MAX_INPUTS];
	uint8_t ninputs;
	uint8_t input;
	uint64_t now_us;                  /* newest packet time seen */
	uint8_t link;                     /* the last packet's link type (pseudo packets') */
	uint64_t next_expire_us;          /* packet time of the next expiry look */
	struct detect_result res;
	struct detect_result flush_res;   /* streams flushed at flow end */
	struct eve_app app_eve;           /* (added) app-layer fields of the alert being written */
	/* (added) the packet being run (a flow end's pseudo packet while a
	 * flow is released), NULL between packets: the transaction records
	 * written meanwhile take their pkt_src from it */
	const struct packet *cur_pkt;
	struct tag_pool tags;             /* (added) session tags (tag keyword) */
	/* (added) the packets tunnels carry, one per depth, in use while the
	 * wire packet is */
	struct packet tunnel[PIPELINE_TUNNEL_MAX];
	struct seq_gate *gate;            /* (added) see pipeline_config */
	uint16_t gate_id;
	struct exc_state exc;             /* (added) exception policies and their counts */
	enum counter exc_why;             /* (added) the drop counter of the policy that
					   * dropped the packet run, else CNT_PKTS */
};

/* Creates the worker's private state. NULL on allocation failure. */
struct pipeline *pipeline_create(const struct pipeline_config *cfg, uint16_t worker_id);
/* Releases everything (pipeline_finish first to flush). */
void pipeline_destroy(struct pipeline *pl);
/* From the worker's control thread while the worker runs: backs ahead the
 * memory the worker grows into (spare flow slots, the next chunk of its
 * stream and app-layer pools), so that the worker does not take the first
 * touches. Returns the bytes backed by this call. */
size_t pipeline_back_spare(struct pipeline *pl);

/* Run one frame through the stages. p's input fields (data, len, wire_len,
 * ts_us, pcap_cnt, port_id) must be set. Returns the verdict for the frame. */
enum detect_verdict pipeline_packet(struct pipeline *pl, struct packet *p);

/* The input (index into pipeline_config's inputs) the next frames come
 * from, when a worker polls several ports: the packets' records name it
 * as "in_iface" and its checksum-checks apply; a flow's own records (flow,
 * netflow, those of its end) name its first packet's, as Suricata's
 * f->livedev. */
static inline void pipeline_input(struct pipeline *pl, uint8_t input)
{
	BUG_ON_HOT(input >= pl->ninputs);
	if (input == pl->input)
		return;
	pl->input = input;
	pl->decode.csum_check = pl->inputs[input].csum_check;
	eve_writer_set_iface(pl->eve, pl->inputs[input].iface);
}

/* (added) The detection the worker runs from now on (NULL: none); its
 * rules name the flowbits and flowints of the records written. */
static inline void pipeline_set_detect(struct pipeline *pl, struct detect_thread *dt)
{
	pl->dt = dt;
	eve_writer_set_names(pl->eve, dt != NULL ? detect_thread_ruleset(dt) : NULL);
}

/* Housekeeping when the input is idle: expire flows as of now_us, at most
 * PIPELINE_IDLE_BUDGET of them, and flush the output. true: the budget ran
 * out, more flows may be due; the caller calls again soon (at its next
 * empty poll) rather than at its idle period, so that a link gone quiet
 * drains its flows as fast as they time out. */
bool pipeline_idle(struct pipeline *pl, uint64_t now_us);

/* End of input: release all flows and flush the output. end_us: the
 * input's newest packet time (a capture read by several workers: the whole
 * file's, so that whether a flow ended by timeout or by shutdown does not
 * depend on which worker held it), 0: the newest this worker saw. */
void pipeline_finish(struct pipeline *pl, uint64_t end_us);

#endif
