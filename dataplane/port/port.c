/* SPDX-License-Identifier: MIT */
#include "port.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "../../common/log.h"

#define MBUF_DATA_SIZE RTE_MBUF_DEFAULT_BUF_SIZE
#define DEFAULT_RX_DESC 1024
#define DEFAULT_TX_DESC 1024
#define DEFAULT_CACHE 256

/* Symmetric Toeplitz key (0x6d5a repeated): both directions of a flow hash to
 * the same RX queue, so one worker sees the whole flow. */
static uint8_t rss_sym_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

uint16_t port_rx_burst(const struct port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct port_capture_rx *c = p->capture;
	uint16_t got = rte_eth_rx_burst(p->port_id, q, pkts, n), keep = got;

	if (c == NULL || got == 0)
		return got;
	if (c->seen + got > c->limit) {
		keep = c->seen >= c->limit ? 0 : (uint16_t)(c->limit - c->seen);
		rte_pktmbuf_free_bulk(pkts + keep, got - keep);
		c->beyond += got - keep;
	}
	c->seen += got;
	return keep;
}

const uint8_t *port_rss_key(size_t *len)
{
	*len = sizeof(rss_sym_key);
	return rss_sym_key;
}

int ports_find(const struct port *ports, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(ports[i].set.name, name) == 0)
			return (int)i;
	return -1;
}

bool port_settings_paired(const struct port_settings *a, const struct port_settings *b)
{
	return a != b && a->copy_mode != COPY_NONE && b->copy_mode != COPY_NONE &&
	       strcmp(a->copy_iface, b->name) == 0 && strcmp(b->copy_iface, a->name) == 0;
}

static int port_pool_create(struct port *pt)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t size = pt->set.mempool_size;
	uint32_t cache = pt->set.mempool_cache ? pt->set.mempool_cache : DEFAULT_CACHE;

	if (size == 0) {
		/* Every descriptor may hold an mbuf, plus one burst in flight per
		 * queue and the per-lcore caches (Suricata's "auto" sizing idea). */
		size = (uint32_t)pt->nb_rxq * pt->set.rx_desc + (uint32_t)pt->nb_txq * pt->set.tx_desc +
		       (uint32_t)(pt->nb_rxq + 1) * (cache + 64) + pt->pool_extra;
		if (size < 4096)
			size = 4096;
	}
	snprintf(name, sizeof(name), "mb_p%u", pt->port_id);
	pt->pool = rte_pktmbuf_pool_create(name, size, cache, 0, MBUF_DATA_SIZE,
					   pt->socket < 0 ? SOCKET_ID_ANY : pt->socket);
	if (pt->pool == NULL) {
		log_msg(LOG_ERR, "port", "%s: cannot create a mempool of %u mbufs: %s",
			pt->set.name, size, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

static void port_conf_fill(struct port *pt, const struct rte_eth_dev_info *info,
			   struct rte_eth_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	/* Jumbo and GSO-sized frames from captures arrive as mbuf chains. */
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (pt->nb_rxq > 1 && info->flow_type_rss_offloads != 0) {
		conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf->rx_adv_conf.rss_conf.rss_key = rss_sym_key;
		conf->rx_adv_conf.rss_conf.rss_key_len = sizeof(rss_sym_key);
		conf->rx_adv_conf.rss_conf.rss_hf = port_rss_hf(info->flow_type_rss_offloads);
	}
}

uint64_t port_rss_hf(uint64_t offloads)
{
	uint64_t hf = RTE_ETH_RSS_IP & offloads;

	return hf != 0 ? hf : (RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) & offloads;
}

/* RSS over several queues: the redirection table entry j -> queue
 * j % nb_rxq (port_rss_key says why). A driver that refuses it is warned
 * about, not refused: its own table still spreads the flows, though maybe
 * not as the pair's other port does. */
static void port_reta_set(struct port *pt, const struct rte_eth_dev_info *info)
{
	const unsigned groups = (info->reta_size + RTE_ETH_RETA_GROUP_SIZE - 1u) /
				RTE_ETH_RETA_GROUP_SIZE;
	struct rte_eth_rss_reta_entry64 *reta;
	int ret = -ENOMEM;

	if (pt->nb_rxq < 2 || info->flow_type_rss_offloads == 0 || info->reta_size == 0)
		return;
	reta = calloc(groups, sizeof(*reta));
	if (reta != NULL) {
		for (uint16_t j = 0; j < info->reta_size; j++) {
			struct rte_eth_rss_reta_entry64 *g = &reta[j / RTE_ETH_RETA_GROUP_SIZE];

			g->mask |= 1ull << (j % RTE_ETH_RETA_GROUP_SIZE);
			g->reta[j % RTE_ETH_RETA_GROUP_SIZE] = (uint16_t)(j % pt->nb_rxq);
		}
		ret = rte_eth_dev_rss_reta_update(pt->port_id, reta, info->reta_size);
		free(reta);
	}
	if (ret != 0)
		log_msg(LOG_WARN, "port", "%s: cannot set the RSS redirection table: %s; the "
			"driver's own spreads the flows", pt->set.name, rte_strerror(-ret));
}

static int port_start(struct port *pt, uint16_t nb_txq)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nb_rxd, nb_txd;
	int ret;

	if (rte_eth_dev_get_port_by_name(pt->set.name, &pt->port_id) != 0) {
		log_msg(LOG_ERR, "port", "%s: no such DPDK port (is the device bound, or the vdev "
			"declared in dpdk.eal-params.vdev?)", pt->set.name);
		return -ENODEV;
	}
	ret = rte_eth_dev_info_get(pt->port_id, &info);
	if (ret != 0)
		return ret;
	pt->socket = rte_eth_dev_socket_id(pt->port_id);
	pt->nb_rxq = pt->set.threads ? pt->set.threads : 1;
	pt->nb_txq = nb_txq;
	if (pt->nb_rxq > info.max_rx_queues || pt->nb_txq > info.max_tx_queues) {
		log_msg(LOG_ERR, "port", "%s: %u RX / %u TX queues asked, the device has %u / %u",
			pt->set.name, pt->nb_rxq, pt->nb_txq, info.max_rx_queues,
			info.max_tx_queues);
		return -EINVAL;
	}
	if (pt->set.rx_desc == 0)
		pt->set.rx_desc = DEFAULT_RX_DESC;
	if (pt->set.tx_desc == 0)
		pt->set.tx_desc = DEFAULT_TX_DESC;

	port_conf_fill(pt, &info, &conf);
	ret = rte_eth_dev_configure(pt->port_id, pt->nb_rxq, pt->nb_txq, &conf);
	if (ret != 0) {
		log_msg(LOG_ERR, "port", "%s: configure failed: %s", pt->set.name, rte_strerror(-ret));
		return ret;
	}
	nb_rxd = pt->set.rx_desc;
	nb_txd = pt->set.tx_desc;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(pt->port_id, &nb_rxd, &nb_txd);
	if (ret != 0)
		return ret;
	pt->set.rx_desc = nb_rxd;
	pt->set.tx_desc = nb_txd;
	ret = port_pool_create(pt);
	if (ret != 0)
		return ret;
	if (pt->set.mtu != 0) {
		ret = rte_eth_dev_set_mtu(pt->port_id, pt->set.mtu);
		if (ret != 0) {
			log_msg(LOG_ERR, "port", "%s: cannot set MTU %u: %s", pt->set.name,
				pt->set.mtu, rte_strerror(-ret));
			return ret;
		}
	}
	for (uint16_t q = 0; q < pt->nb_rxq; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;

		rxc.offloads = conf.rxmode.offloads;
		ret = rte_eth_rx_queue_setup(pt->port_id, q, nb_rxd, pt->socket, &rxc, pt->pool);
		if (ret != 0) {
			log_msg(LOG_ERR, "port", "%s: RX queue %u: %s", pt->set.name, q,
				rte_strerror(-ret));
			return ret;
		}
	}
	for (uint16_t q = 0; q < pt->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(pt->port_id, q, nb_txd, pt->socket, NULL);
		if (ret != 0) {
			log_msg(LOG_ERR, "port", "%s: TX queue %u: %s", pt->set.name, q,
				rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_start(pt->port_id);
	if (ret != 0) {
		log_msg(LOG_ERR, "port", "%s: start failed: %s", pt->set.name, rte_strerror(-ret));
		return ret;
	}
	port_reta_set(pt, &info);
	if (pt->set.promisc)
		rte_eth_promiscuous_enable(pt->port_id);

	/* Devices that stamp packets register the dynamic field, whether or not
	 * they advertise the offload (net_pcap registers it at probe and stamps
	 * every frame with its capture time). */
	pt->rx_timestamp = false;
	{
		int off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
		int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

		if (off >= 0 && bit >= 0) {
			pt->rx_timestamp = true;
			pt->ts_offset = off;
			pt->ts_flag = 1ULL << bit;
		}
	}
	return 0;
}

int ports_start(struct port *ports, unsigned n, const uint16_t *nb_txq)
{
	for (unsigned i = 0; i < n; i++) {
		int ret = port_start(&ports[i], nb_txq[i]);

		if (ret != 0) {
			ports_stop(ports, i);
			return ret < 0 ? ret : -EIO;
		}
	}
	return 0;
}

void ports_stop(struct port *ports, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		rte_eth_dev_stop(ports[i].port_id);
		rte_eth_dev_close(ports[i].port_id);
		if (ports[i].pool != NULL) {
			rte_mempool_free(ports[i].pool);
			ports[i].pool = NULL;
		}
	}
}
