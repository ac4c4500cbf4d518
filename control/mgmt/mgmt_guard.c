/* SPDX-License-Identifier: MIT */
/* Who may try to log in. Failed authentications are counted per source
 * address and per user name tried: each failure doubles the delay before
 * the answer (auth_fail_delay_ms up to auth_fail_delay_max_ms), and
 * lockout_failures of them lock the address (refused at accept) or the user
 * (refused at AUTH_START, whatever the password) for lockout_seconds. A
 * success clears both. The tables are fixed (MGMT_GUARD_SLOTS each, least
 * recently failed reused), so a flood of addresses or names costs bounded
 * memory. Refused connections are counted, logged and audited, at most
 * MGMT_REFUSAL_BURST lines per MGMT_REFUSAL_WINDOW_US (the rest counted
 * and summed up in the next line), so a flood cannot fill the disk. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "control/loop/loop.h"
#include "mgmt-priv.h"

#define MGMT_REFUSAL_WINDOW_US 10000000ull
#define MGMT_REFUSAL_BURST 5

void mgmt_addr_key(const struct sockaddr_storage *ss, uint8_t key[16])
{
	memset(key, 0, 16);
	if (ss->ss_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	} else {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	}
}

/* The entry of key (16 bytes of address, or a NUL-terminated name), or,
 * with take, the least recently failed one reset for it. */
static struct mgmt_track *slot(struct mgmt_track *t, const void *key, size_t klen, bool take)
{
	struct mgmt_track *victim = NULL;

	for (size_t i = 0; i < MGMT_GUARD_SLOTS; i++) {
		struct mgmt_track *p = &t[i];

		if (p->fails && memcmp(p->key, key, klen) == 0)
			return p;
		if (!victim || (victim->fails && (!p->fails || p->last_us < victim->last_us)))
			victim = p;
	}
	if (!take)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->key, key, klen);
	return victim;
}

static void name_key(const char *user, uint8_t key[MGMT_GUARD_KEY])
{
	memset(key, 0, MGMT_GUARD_KEY);
	snprintf((char *)key, MGMT_GUARD_KEY, "%s", user);
}

static bool locked(const struct mgmt_track *p, uint64_t now)
{
	return p && p->locked_until_us > now;
}

bool mgmt_guard_src_locked(struct mgmt *m, const struct sockaddr_storage *ss)
{
	uint8_t key[16];

	mgmt_addr_key(ss, key);
	return locked(slot(m->guard_src, key, 16, false), loop_now_us(m->loop));
}

bool mgmt_guard_user_locked(struct mgmt *m, const char *user)
{
	uint8_t key[MGMT_GUARD_KEY];

	if (!user || !user[0])
		return false;
	name_key(user, key);
	return locked(slot(m->guard_user, key, MGMT_GUARD_KEY, false), loop_now_us(m->loop));
}

/* One more failure on p: its delay, and the lockout once it has enough. */
static uint64_t fail_one(struct mgmt *m, struct mgmt_track *p, const struct mgmt_conn *c,
			 const char *what)
{
	uint64_t now = loop_now_us(m->loop), delay;
	char detail[320];

	/* a lockout served, or a long quiet spell, starts a new count */
	if ((p->locked_until_us && !locked(p, now)) ||
	    (p->fails && now - p->last_us > MGMT_GUARD_FORGET_US && !locked(p, now))) {
		p->fails = 0;
		p->locked_until_us = 0;
	}
	if (p->fails < 1000)
		p->fails++;
	p->last_us = now;
	if (p->fails >= m->conf.lockout_fails && !locked(p, now)) {
		p->locked_until_us = now + m->conf.lockout_us;
		m->cnt.lockouts++;
		snprintf(detail, sizeof(detail), "%s locked out for %llu s after %u failures", what,
			 (unsigned long long)(m->conf.lockout_us / 1000000u), m->conf.lockout_fails);
		log_msg(LOG_WARN, MGMT_LOG, "%s", detail);
		mgmt_audit(m, c, "lockout", NULL, "locked", detail);
	}
	delay = m->conf.fail_delay_us << (p->fails > 1 ? (p->fails - 1 < 16 ? p->fails - 1 : 16) : 0);
	return delay < m->conf.fail_delay_max_us ? delay : m->conf.fail_delay_max_us;
}

uint64_t mgmt_guard_fail(struct mgmt *m, const struct mgmt_conn *c, const char *user)
{
	uint8_t key[MGMT_GUARD_KEY];
	char what[300];
	uint64_t d, du;

	mgmt_addr_key(&c->addr, key);
	snprintf(what, sizeof(what), "address of %s", c->peer);
	d = fail_one(m, slot(m->guard_src, key, 16, true), c, what);
	if (user && user[0]) {
		name_key(user, key);
		snprintf(what, sizeof(what), "user '%s'", user);
		du = fail_one(m, slot(m->guard_user, key, MGMT_GUARD_KEY, true), c, what);
		if (du > d)
			d = du;
	}
	return d;
}

void mgmt_guard_ok(struct mgmt *m, const struct mgmt_conn *c, const char *user)
{
	uint8_t key[MGMT_GUARD_KEY];
	struct mgmt_track *p;

	mgmt_addr_key(&c->addr, key);
	p = slot(m->guard_src, key, 16, false);
	if (p)
		memset(p, 0, sizeof(*p));
	name_key(user, key);
	p = slot(m->guard_user, key, MGMT_GUARD_KEY, false);
	if (p)
		memset(p, 0, sizeof(*p));
}

unsigned int mgmt_guard_unauth_from(const struct mgmt *m, const struct sockaddr_storage *ss)
{
	uint8_t key[16], k2[16];
	unsigned int n = 0;

	mgmt_addr_key(ss, key);
	for (const struct mgmt_conn *c = m->conns; c; c = c->next) {
		if (c->authed)
			continue;
		mgmt_addr_key(&c->addr, k2);
		n += memcmp(key, k2, 16) == 0;
	}
	return n;
}

void mgmt_guard_refuse(struct mgmt *m, const struct sockaddr_storage *ss, const char *why)
{
	uint64_t now = loop_now_us(m->loop);
	char host[INET6_ADDRSTRLEN] = "?", detail[256];

	if (now - m->refusal_window_us > MGMT_REFUSAL_WINDOW_US) {
		m->refusal_window_us = now;
		m->refusal_lines = 0;
	}
	if (m->refusal_lines >= MGMT_REFUSAL_BURST) {
		m->refusals_unlogged++;
		return;
	}
	m->refusal_lines++;
	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host,
			  sizeof(host));
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
	if (m->refusals_unlogged)
		snprintf(detail, sizeof(detail), "%s (and %llu more refusals not logged)", why,
			 (unsigned long long)m->refusals_unlogged);
	else
		snprintf(detail, sizeof(detail), "%s", why);
	m->refusals_unlogged = 0;
	log_msg(LOG_WARN, MGMT_LOG, "connection from %s refused: %s", host, detail);
	mgmt_audit_peer(m, host, "connect", "refused", detail);
}
