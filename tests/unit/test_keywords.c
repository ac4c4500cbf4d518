/* SPDX-License-Identifier: MIT */
/* Unit tests for the packet keywords of rules/rule_kw_byte.c, rule_kw_hdr.c
 * and their matchers (dataplane/detect/detect_byte.c, detect_pktkw.c,
 * detect_vars.c, header buffers in detect_inspect.c): parse errors with their
 * exact messages, and exact alert counts on hand-built packets. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "detect_fixture.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "rules/rules.h"

static struct rule_env *renv;

/* ---- parsing ---- */

#define PARSES(opts) CHECK_STR("(parsed)", rule_opts_err(renv, "tcp", opts))
#define FAILS(opts, msg) CHECK_STR(msg, rule_opts_err(renv, "tcp", opts))

static void test_parse_byte(void)
{
	PARSES("byte_test:2,>,10,0;");
	PARSES("byte_test:4,!=,0x10,-2,relative,little;");
	PARSES("byte_test:0,<,1000,0,string,dec;");
	PARSES("byte_test:1,&,0x80,0,bitmask 0xf0;");
	FAILS("byte_test:2,>,10;", "byte_test needs bytes, operator, value and offset");
	FAILS("byte_test:9,>,1,0;", "byte_test can't read more than 8 bytes without string");
	FAILS("byte_test:24,>,1,0,string;", "byte_test can't read more than 23 bytes with string");
	FAILS("byte_test:0,>,1,0;", "invalid byte_test byte count '0'");
	FAILS("byte_test:2,~,1,0;", "invalid byte_test operator '~'");
	FAILS("byte_test:2,=,1,0,foo;", "unknown byte_test option 'foo'");
	FAILS("byte_test:2,=,x,0;", "unknown byte_extract variable 'x'");
	FAILS("byte_test:2,=,1,0,hex;", "byte_test: a base needs string");
	FAILS("byte_test:2,=,1x,0;", "invalid byte_test value '1x'");
	FAILS("byte_test:2,=,1,70000;", "invalid byte_test offset '70000'");
	FAILS("byte_test:2,=,1,0,dce;",
	      "unsupported byte_test option 'dce' (DCERPC is not inspected)");

	PARSES("byte_jump:2,0,relative,multiplier 2,align,post_offset -1,little;");
	PARSES("byte_jump:4,0,string,hex,from_beginning;");
	FAILS("byte_jump:2;", "byte_jump needs bytes and offset");
	FAILS("byte_jump:2,0,from_beginning,from_end;",
	      "byte_jump can't use both from_beginning and from_end");
	FAILS("byte_jump:2,0,multiplier 0;", "invalid byte_jump multiplier '0'");
	FAILS("byte_jump:2,0,post_offset x;", "invalid byte_jump post_offset 'x'");
	FAILS("byte_jump:2,0,bogus;", "unknown byte_jump option 'bogus'");
	PARSES("byte_jump:0,0,relative,post_offset -7;");
	FAILS("byte_jump:9,0;", "byte_jump can't read more than 8 bytes without string");
	FAILS("byte_extract:0,0,n;", "invalid byte_extract byte count '0'");

	PARSES("byte_extract:2,0,len,relative,multiplier 4,align 4;");
	FAILS("byte_extract:2,0;", "byte_extract needs bytes, offset and a variable name");
	FAILS("byte_extract:2,0,1n;", "invalid byte_extract variable name '1n'");
	FAILS("byte_extract:2,0,n; byte_extract:1,0,n;",
	      "byte_extract variable 'n' already defined");
	FAILS("byte_extract:2,0,n,align 3;", "invalid byte_extract align '3'");
	FAILS("byte_extract:2,0,n,bitmask 0xff;", "unknown byte_extract option 'bitmask 0xff'");
	FAILS("byte_extract:1,0,a; byte_extract:1,0,b; byte_extract:1,0,c; byte_extract:1,0,d;"
	      " byte_extract:1,0,e; byte_extract:1,0,f; byte_extract:1,0,g; byte_extract:1,0,h;"
	      " byte_extract:1,0,i;", "too many byte_extract/byte_math variables (max 8)");

	PARSES("byte_math:bytes 2,offset 0,oper +,rvalue 10,result r,relative,endian little;");
	PARSES("byte_extract:1,0,n; byte_math:bytes 1,offset 1,oper *,rvalue n,result r;");
	FAILS("byte_math:bytes 2,offset 0,oper +,rvalue 10;",
	      "byte_math needs bytes, offset, oper, rvalue and result");
	FAILS("byte_math:bytes 2,offset 0,oper %,rvalue 10,result r;",
	      "invalid byte_math operator '%'");
	FAILS("byte_math:bytes 5,offset 0,oper <<,rvalue 1,result r;",
	      "byte_math shifts read at most 4 bytes");
	FAILS("byte_math:bytes 1,offset 0,oper +,rvalue q,result r;",
	      "unknown byte_extract variable 'q'");
	FAILS("byte_math:bytes 1,offset 0,oper +,rvalue 1,result r,endian dce;",
	      "unsupported byte_math endian 'dce'");

	PARSES("isdataat:!10,relative,rawbytes;");
	FAILS("isdataat:x;", "unknown byte_extract variable 'x'");
	FAILS("isdataat:1,foo;", "unknown isdataat option 'foo'");
	FAILS("isdataat:-1;", "invalid isdataat position '-1'");

	PARSES("tcp.hdr; bsize:>20;");
	FAILS("bsize:10;", "bsize needs a sticky buffer before it");
	FAILS("ipv4.hdr; bsize:x;", "invalid bsize: 'x'");

	/* variables in content modifiers */
	PARSES("byte_extract:1,0,n; content:\"a\"; offset:n; depth:n;");
	PARSES("byte_extract:1,0,n; content:\"a\"; distance:n; within:n;");
	FAILS("content:\"a\"; offset:n;", "unknown byte_extract variable 'n'");
	FAILS("byte_extract:1,0,n; content:\"a\"; offset:n; offset:n;",
	      "duplicate offset for the same content");
	FAILS("byte_extract:1,0,n; depth:n;", "depth needs a preceding content");
	/* a sticky buffer ends the reach of content modifiers */
	FAILS("content:\"a\"; tcp.hdr; nocase;", "nocase needs a preceding content");
}

static void test_parse_hdr(void)
{
	/* l3_proto and engine-event (Suricata 7) */
	PARSES("l3_proto:ipv4;");
	PARSES("l3_proto:IP6;");
	FAILS("l3_proto:ipx;", "invalid l3_proto: 'ipx' (ipv4 or ipv6)");
	FAILS("l3_proto:ipv4; l3_proto:ipv6;", "duplicate keyword 'l3_proto'");
	CHECK_STR("l3_proto:ipv4 conflicts with the rule's IP version",
		  rule_opts_err(renv, "ipv6", "l3_proto:ipv4;"));
	PARSES("engine-event:stream.rst_but_no_session;");
	PARSES("engine-event:decoder.ipv4.trunc_pkt;");
	FAILS("engine-event:ipv4.trunc_pkt;",
	      "engine-event: unknown event 'ipv4.trunc_pkt' (decoder.NAME or stream.NAME)");
	FAILS("engine-event:decoder.ipv4.nope;", "decode-event: unknown event 'ipv4.nope'");
	FAILS("engine-event:stream.nope;", "stream-event: unknown event 'nope'");
	FAILS("engine-event:decoder.ipv4.trunc_pkt; engine-event:decoder.ipv6.trunc_pkt;",
	      "engine-event: one decoder event per rule");
	PARSES("flags:S;");
	PARSES("flags:SA+;");
	PARSES("flags:*SA,CE;");
	PARSES("flags:!R;");
	PARSES("flags:0;");
	PARSES("tcp.flags:S,12;");
	FAILS("flags:SX;", "invalid flags: 'SX'");
	FAILS("flags:S,Q;", "invalid flags mask: 'Q'");
	FAILS("flags:+*S;", "invalid flags: '+*S'");
	FAILS("flags:S; flags:A;", "duplicate keyword 'flags'");
	PARSES("ack:0; seq:>100; window:!1024;");
	FAILS("window:70000;", "invalid window: '70000'");
	FAILS("ack:x;", "invalid ack: 'x'");
	PARSES("id:12345;");
	FAILS("id:65536;", "invalid id: '65536'");
	PARSES("fragbits:M+;");
	PARSES("fragbits:!D;");
	FAILS("fragbits:MX;", "invalid fragbits: 'MX'");
	FAILS("fragbits:M,D;", "invalid fragbits: 'M,D'");
	PARSES("fragoffset:>0;");
	PARSES("tos:8;");
	PARSES("tos:!x10;");
	FAILS("tos:256;", "invalid tos: '256'");
	FAILS("tos:0x10;", "invalid tos: '0x10'");
	PARSES("ipopts:lsrr;");
	FAILS("ipopts:foo;", "invalid ipopts: 'foo'");
	PARSES("sameip;");
	FAILS("sameip:1;", "keyword 'sameip' takes no value");
	PARSES("stream_size:server,>,100;");
	PARSES("stream_size:either, <=, 5;");
	FAILS("stream_size:server,~,5;", "invalid stream_size operator '~'");
	FAILS("stream_size:middle,<,5;", "invalid stream_size side 'middle'");
	FAILS("stream_size:server,<;", "stream_size needs side, operator and value");
	FAILS("stream_size:server,<,x;", "invalid stream_size value 'x'");
	PARSES("icmp_id:\"0\"; icmp_seq:12;");
	FAILS("icmp_id:70000;", "invalid icmp_id: '70000'");
	PARSES("tcp.mss:<536;");
	FAILS("tcp.mss:x;", "invalid tcp.mss: 'x'");
	PARSES("icmpv6.mtu:<1280;");
	PARSES("icmpv6.mtu:1280-1500;");
	FAILS("icmpv6.mtu:x;", "invalid icmpv6.mtu: 'x'");
	PARSES("flow.age:>10;");
	PARSES("flow.age:1<>5; flow.pkts_toserver:3; flow.pkts_toclient:>=2;");
	PARSES("flow.bytes_toserver:<1000; flow.bytes_toclient:!0;");
	FAILS("flow.age:x;", "invalid flow.age: 'x' (an integer comparison up to 4294967295)");
	FAILS("flow.bytes_toclient:>4294967296;", "invalid flow.bytes_toclient: '>4294967296' "
	      "(an integer comparison up to 4294967295)");
	FAILS("flow.pkts_toserver:1; flow.pkts_toserver:2;",
	      "duplicate keyword 'flow.pkts_toserver'");
	FAILS("flow.age;", "keyword 'flow.age' needs a value");
	PARSES("flow.pkts:either,=10; flow.bytes:either,>3000;");
	PARSES("flow.pkts:toserver,>3; flow.bytes: toclient , <100;");
	FAILS("flow.pkts:3;", "invalid flow.pkts: '3' (a direction, toserver, toclient or "
	      "either, then a comparison)");
	FAILS("flow.bytes:both,3;", "invalid flow.bytes direction: 'both'");
	FAILS("flow.pkts:toserver,3; flow.pkts_toserver:4;",
	      "duplicate keyword 'flow.pkts_toserver'");
	FAILS("flow.pkts:either,3; flow.pkts:either,4;", "duplicate keyword 'flow.pkts'");
	PARSES("xbits:set,bad,track ip_pair,expire 60;");
	PARSES("xbits:isset,bad,track ip_src;");
	FAILS("xbits:set,foo;", "xbits needs an operation, a name and a track");
	FAILS("xbits:set,a,track ip_x;", "invalid xbits track 'track ip_x'");
	FAILS("xbits:fill,a,track ip_src;", "invalid xbits operation 'fill'");
	FAILS("xbits:set,a,track ip_src,expire 0;", "invalid xbits expire 'expire 0'");
	PARSES("hostbits:set,bad;");
	PARSES("hostbits:isset, bad , dst ;");
	PARSES("hostbits:toggle,bad,src;");
	PARSES("hostbits:noalert;");
	FAILS("hostbits:set;", "hostbits needs an operation and a name: 'set'");
	FAILS("hostbits:set,bad,both;", "invalid hostbits direction 'both': src or dst");
	FAILS("hostbits:fill,bad;", "invalid hostbits operation 'fill'");
	FAILS("hostbits:set,a b;", "invalid hostbits name 'a b'");
	FAILS("hostbits:set,a,src,1;", "invalid hostbits: 'set,a,src,1'");
	PARSES("flowint:cnt,+,1;");
	PARSES("flowint:cnt,>=,other;");
	PARSES("flowint:cnt,notset;");
	FAILS("flowint:a,%,1;", "invalid flowint operation '%'");
	FAILS("flowint:a,+;", "flowint:+ needs a value");
	FAILS("flowint:a,isset,1;", "flowint:isset takes no value");
	FAILS("flowint:a;", "flowint needs a name and an operation");
}

/* ---- matching ---- */

static struct detect_env setup(const char *text)
{
	return detect_env_setup(renv, text, "keywords");
}

static struct detect_result res;

static uint32_t run(struct detect_env *e, struct packet *p)
{
	detect_packet(e->dt, p, &res);
	return res.nalerts;
}

/* A frame: IPv4 (20 bytes, or 24 with a NOP/EOL option word) and TCP (20
 * bytes, or 24 with an MSS option) before the payload, with the packet
 * fields the decoder would set. */
struct frame {
	uint8_t b[1600];
	struct packet p;
};

static void ip4(struct frame *f, uint8_t proto, bool opts)
{
	uint8_t *ip = f->b;

	memset(f, 0, sizeof(*f));
	ip[0] = opts ? 0x46 : 0x45;
	ip[1] = 0x10;                                 /* tos */
	ip[4] = 0x30, ip[5] = 0x39;                   /* id 12345 */
	ip[6] = 0x40;                                 /* DF */
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10, ip[15] = 1;                      /* 10.0.0.1 */
	ip[16] = 192, ip[17] = 168, ip[18] = 1, ip[19] = 1;
	if (opts)
		ip[20] = 0x01, ip[21] = 0x01, ip[22] = 0x01, ip[23] = 0x00;
	f->p.ip_ver = 4;
	f->p.proto = proto;
	f->p.ttl = 64;
	f->p.tos = 0x10;
	f->p.ip_id = 12345;
	f->p.ip_hlen = opts ? 24 : 20;
	f->p.ipv4_opts = opts ? (0x0004 | 0x0002) : 0;   /* NOP, EOL */
	memcpy(f->p.src.b, ip + 12, 4);
	memcpy(f->p.dst.b, ip + 16, 4);
	f->p.l3 = ip;
}

static struct packet *tcp_frame(struct frame *f, uint8_t flags, bool mss, const void *pl,
				uint32_t plen)
{
	uint8_t *t;
	uint32_t hlen = mss ? 24 : 20;

	ip4(f, 6, false);
	t = f->b + 20;
	t[0] = 0x04, t[1] = 0xd2;                     /* 1234 */
	t[2] = 0x00, t[3] = 0x50;                     /* 80 */
	t[4] = 0, t[5] = 0, t[6] = 0x03, t[7] = 0xe8; /* seq 1000 */
	t[11] = 0x07;                                 /* ack 7 */
	t[12] = (uint8_t)(hlen / 4) << 4;
	t[13] = flags;
	t[14] = 0x04, t[15] = 0x00;                   /* window 1024 */
	if (mss) {
		t[20] = 2, t[21] = 4, t[22] = 0x05, t[23] = 0xb4;   /* MSS 1460 */
		f->p.flags |= 0x0010;                       /* PKT_F_TCP_MSS */
		f->p.tcp.mss = 1460;
	}
	memcpy(t + hlen, pl, plen);
	f->p.sp = 1234;
	f->p.dp = 80;
	f->p.tcp.seq = 1000;
	f->p.tcp.ack = 7;
	f->p.tcp.win = 1024;
	f->p.tcp.flags = flags;
	f->p.tcp.hlen = (uint8_t)hlen;
	f->p.l4 = t;
	f->p.l4_len = hlen + plen;
	f->p.payload = t + hlen;
	f->p.payload_len = plen;
	f->p.l3_len = 20 + hlen + plen;
	return &f->p;
}

static struct frame fr;

/* One rule (options opts) against a TCP packet with payload pl. */
static uint32_t on_tcp(const char *opts, const void *pl, uint32_t plen)
{
	char text[1024];
	struct detect_env e;
	uint32_t n;

	snprintf(text, sizeof(text), "alert tcp any any -> any any (%s sid:1;)\n", opts);
	e = setup(text);
	n = run(&e, tcp_frame(&fr, TCP_ACK | TCP_PSH, true, pl, plen));
	detect_env_teardown(&e);
	return n;
}

#define S(lit) lit, (uint32_t)(sizeof(lit) - 1)

static void test_byte_test(void)
{
	CHECK_INT(1, on_tcp("byte_test:2,=,16,0;", S("\x00\x10" "abc")));
	CHECK_INT(0, on_tcp("byte_test:2,>,16,0;", S("\x00\x10" "abc")));
	CHECK_INT(1, on_tcp("byte_test:2,>=,16,0;", S("\x00\x10" "abc")));
	CHECK_INT(0, on_tcp("byte_test:2,!=,16,0;", S("\x00\x10" "abc")));
	CHECK_INT(1, on_tcp("byte_test:2,!,17,0;", S("\x00\x10" "abc")));
	CHECK_INT(1, on_tcp("byte_test:2,=,4096,0,little;", S("\x00\x10" "abc")));
	CHECK_INT(1, on_tcp("byte_test:1,&,0x10,1;", S("\x00\x10" "abc")));
	CHECK_INT(0, on_tcp("byte_test:1,&,0x01,1;", S("\x00\x10" "abc")));
	CHECK_INT(0, on_tcp("byte_test:1,^,0x10,1;", S("\x00\x10" "abc")));
	/* bitmask: 0xf0 & 0xa5 = 0xa0, shifted by 4 -> 10 */
	CHECK_INT(1, on_tcp("byte_test:1,=,10,0,bitmask 0xf0;", S("\xa5")));
	/* the bytes must lie inside the buffer */
	CHECK_INT(0, on_tcp("byte_test:4,>,0,2;", S("\x00\x10" "ab")));
	CHECK_INT(1, on_tcp("byte_test:4,>,0,1;", S("\x00\x10" "abc")));
	/* ASCII numbers */
	CHECK_INT(1, on_tcp("byte_test:3,=,123,4,string,dec;", S("len=123;")));
	CHECK_INT(1, on_tcp("byte_test:2,=,255,0,string,hex;", S("ff")));
	CHECK_INT(1, on_tcp("byte_test:3,=,8,0,string,oct;", S("010")));
	CHECK_INT(0, on_tcp("byte_test:3,=,123,0,string,dec;", S("abc")));
	/* 0 with string: the digits that are there */
	CHECK_INT(1, on_tcp("byte_test:0,=,4567,2,string,dec;", S("x=4567;")));
	/* relative to the previous match, negative offsets included */
	CHECK_INT(1, on_tcp("content:\"len=\"; byte_test:3,>,100,0,relative,string,dec;",
			    S("xxlen=123")));
	CHECK_INT(0, on_tcp("content:\"len=\"; byte_test:3,>,200,0,relative,string,dec;",
			    S("xxlen=123")));
	CHECK_INT(1, on_tcp("content:\"=\"; byte_test:1,=,0x6e,-2,relative;", S("len=1")));
	/* relative failure retries the earlier content */
	CHECK_INT(1, on_tcp("content:\"k\"; byte_test:1,=,0x39,0,relative;", S("k1k9")));
	CHECK_INT(0, on_tcp("content:\"k\"; byte_test:1,=,0x38,0,relative;", S("k1k9")));
	/* nothing after the relative point */
	CHECK_INT(0, on_tcp("content:\"k9\"; byte_test:1,>,0,0,relative;", S("k1k9")));
}

static void test_byte_jump(void)
{
	/* read 2 bytes (3), skip 3: lands on "abc" */
	CHECK_INT(1, on_tcp("byte_jump:2,0; content:\"abc\"; distance:0; within:3;",
			    S("\x00\x03XYZabc")));
	CHECK_INT(0, on_tcp("byte_jump:2,0; content:\"XYZ\"; distance:0; within:3;",
			    S("\x00\x03XYZabc")));
	/* multiplier and align: 1*3 -> 3, aligned to 4 */
	CHECK_INT(1, on_tcp("byte_jump:1,0,align; content:\"Q\"; distance:0; within:1;",
			    S("\x03....Q")));
	CHECK_INT(1, on_tcp("byte_jump:1,0,multiplier 2; content:\"Q\"; distance:0; within:1;",
			    S("\x02....Q")));
	/* post_offset and from_beginning */
	CHECK_INT(1, on_tcp("byte_jump:1,0,post_offset -1; content:\"Q\"; distance:0; within:1;",
			    S("\x02.Q.")));
	CHECK_INT(1, on_tcp("byte_jump:1,0,from_beginning; content:\"Q\"; distance:0; within:1;",
			    S("\x02.Q.")));
	/* from_end with a negative post_offset: 2 bytes before the end */
	CHECK_INT(1, on_tcp("byte_jump:1,0,from_end,post_offset -2; content:\"YZ\"; distance:0;"
			    " within:2;", S("\x00....YZ")));
	/* beyond the end: no match; to the end exactly: a match */
	CHECK_INT(0, on_tcp("byte_jump:1,0;", S("\x05" "abc")));
	CHECK_INT(1, on_tcp("byte_jump:1,0; isdataat:!1,relative;", S("\x03" "abc")));
	/* a chain through relative jumps (TLV records): type 2 is at the third record */
	CHECK_INT(1, on_tcp("content:\"|AA|\"; byte_jump:1,1,relative; byte_jump:1,1,relative;"
			    " content:\"|02|\"; distance:0; within:1;",
			    S("\xAA\x01\x01x\x01\x01y\x02\x00")));
	/* the first |AA| leads nowhere; the second one fits: retry */
	CHECK_INT(1, on_tcp("content:\"|AA|\"; byte_jump:1,0,relative; content:\"|BB|\";"
			    " distance:0; within:1;", S("\xAA\x09\xAA\x01.\xBB")));
	CHECK_INT(0, on_tcp("content:\"|AA|\"; byte_jump:1,0,relative; content:\"|BB|\";"
			    " distance:0; within:1;", S("\xAA\x09\xAA\x02.\xBB")));
	/* string value */
	CHECK_INT(1, on_tcp("byte_jump:2,0,string,dec; content:\"!\"; distance:0; within:1;",
			    S("10..........!")));
	/* no bytes read (Suricata 7 takes 0 without string): a jump by
	 * post_offset alone, allowed from the buffer's end, and one that
	 * lands before the start clamps to it (suricata-verify bug-4623,
	 * detect-bytejump-05) */
	CHECK_INT(1, on_tcp("content:\"|0A 95|\"; byte_jump:0,0,relative,post_offset -6;"
			    " pcre:\"/^NSLO/R\";", S("NSLO\x0a\x95")));
	CHECK_INT(1, on_tcp("content:\"|0A 95|\"; byte_jump:0,0,relative,post_offset -9;"
			    " pcre:\"/^NSLO/R\";", S("NSLO\x0a\x95")));
	CHECK_INT(0, on_tcp("content:\"|0A 95|\"; byte_jump:0,0,relative,post_offset -5;"
			    " pcre:\"/^NSLO/R\";", S("NSLO\x0a\x95")));
	CHECK_INT(1, on_tcp("byte_jump:0,1,post_offset 1; content:\"Q\"; distance:0; within:1;",
			    S("..Q")));
	/* ... from past the end too, where only the landing place is bounded */
	CHECK_INT(0, on_tcp("byte_jump:0,4;", S("..Q")));
	CHECK_INT(1, on_tcp("byte_jump:0,4,post_offset -2; content:\"Q\"; distance:0; within:1;",
			    S("..Q")));
}

static void test_byte_extract(void)
{
	/* the length feeds within */
	CHECK_INT(1, on_tcp("byte_extract:1,0,len; content:\"hello\"; distance:0; within:len;",
			    S("\x05hello world")));
	CHECK_INT(0, on_tcp("byte_extract:1,0,len; content:\"hello\"; distance:0; within:len;",
			    S("\x04hello world")));
	/* byte_extract moves the relative point past the bytes read */
	CHECK_INT(1, on_tcp("byte_extract:2,1,n; content:\"ab\"; distance:0; within:2;",
			    S("x\x00\x01" "ab")));
	/* the value feeds byte_test */
	CHECK_INT(1, on_tcp("byte_extract:1,0,v; byte_test:1,=,v,1;", S("\x07\x07")));
	CHECK_INT(0, on_tcp("byte_extract:1,0,v; byte_test:1,=,v,1;", S("\x07\x08")));
	/* offset/depth from variables: "Z" at offset 3 */
	CHECK_INT(1, on_tcp("byte_extract:1,0,off; content:\"Z\"; offset:off; depth:1;",
			    S("\x03" "abZ")));
	CHECK_INT(0, on_tcp("byte_extract:1,0,off; content:\"Z\"; offset:off; depth:1;",
			    S("\x02" "abZ")));
	/* distance from a variable */
	CHECK_INT(1, on_tcp("byte_extract:1,0,d; content:\"Z\"; distance:d; within:1;",
			    S("\x02" "abZ")));
	/* byte_test offset from a variable */
	CHECK_INT(1, on_tcp("byte_extract:1,0,o; byte_test:1,=,0x5a,o;", S("\x03" "abZ")));
	/* multiplier and align */
	CHECK_INT(1, on_tcp("byte_extract:1,0,n,multiplier 3; byte_test:1,=,n,1;",
			    S("\x02\x06")));
	CHECK_INT(1, on_tcp("byte_extract:1,0,n,align 4; byte_test:1,=,n,1;", S("\x05\x08")));
	/* ASCII, little endian */
	CHECK_INT(1, on_tcp("byte_extract:2,0,n,string,dec; isdataat:n;", S("12............")));
	CHECK_INT(0, on_tcp("byte_extract:2,0,n,string,dec; isdataat:n;", S("12..........")));
	CHECK_INT(1, on_tcp("byte_extract:2,0,n,little; byte_test:2,=,n,0,little;",
			    S("\x01\x02")));
	/* a relative byte_jump by an extracted length, then a test */
	CHECK_INT(1, on_tcp("content:\"L\"; byte_extract:1,0,n,relative; byte_jump:1,0,relative;"
			    " byte_test:1,=,n,0,relative;", S("L\x02\x01.\x02")));
}

static void test_byte_math(void)
{
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper +,rvalue 2,result r;"
			    " byte_test:1,=,r,1;", S("\x03\x05")));
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper *,rvalue 3,result r;"
			    " byte_test:1,=,r,1;", S("\x03\x09")));
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper -,rvalue 1,result r;"
			    " byte_test:1,=,r,1;", S("\x03\x02")));
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper >>,rvalue 1,result r;"
			    " byte_test:1,=,r,1;", S("\x08\x04")));
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper <<,rvalue 2,result r;"
			    " byte_test:1,=,r,1;", S("\x02\x08")));
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper /,rvalue 2,result r;"
			    " byte_test:1,=,r,1;", S("\x09\x04")));
	/* division by zero: no match */
	CHECK_INT(0, on_tcp("byte_math:bytes 1,offset 0,oper /,rvalue 0,result r;", S("\x09")));
	/* rvalue from byte_extract, result as a within */
	CHECK_INT(1, on_tcp("byte_extract:1,0,a; byte_math:bytes 1,offset 1,oper +,rvalue a,"
			    "result w; content:\"Q\"; distance:0; within:w;", S("\x01\x02..Q")));
	CHECK_INT(0, on_tcp("byte_extract:1,0,a; byte_math:bytes 1,offset 1,oper +,rvalue a,"
			    "result w; content:\"Q\"; distance:0; within:w;", S("\x01\x01..Q")));
	/* bitmask after the operation */
	CHECK_INT(1, on_tcp("byte_math:bytes 1,offset 0,oper +,rvalue 0,result r,bitmask 0x0f;"
			    " byte_test:1,=,r,1;", S("\xf3\x03")));
}

static void test_isdataat(void)
{
	CHECK_INT(1, on_tcp("isdataat:5;", S("abcdef")));
	CHECK_INT(0, on_tcp("isdataat:6;", S("abcdef")));
	CHECK_INT(1, on_tcp("isdataat:!6;", S("abcdef")));
	CHECK_INT(0, on_tcp("isdataat:!5;", S("abcdef")));
	/* relative: prev + N must not pass the end (Suricata's test) */
	CHECK_INT(1, on_tcp("content:\"abc\"; isdataat:3,relative;", S("abcdef")));
	CHECK_INT(0, on_tcp("content:\"abc\"; isdataat:4,relative;", S("abcdef")));
	CHECK_INT(1, on_tcp("content:\"abc\"; isdataat:!4,relative;", S("abcdef")));
	/* the classic "nothing after the match" */
	CHECK_INT(1, on_tcp("content:\"def\"; isdataat:!1,relative;", S("abcdef")));
	CHECK_INT(0, on_tcp("content:\"def\"; isdataat:!1,relative;", S("abcdefg")));
	/* relative failure retries the content: the second "ab" is near the end */
	CHECK_INT(1, on_tcp("content:\"ab\"; isdataat:!2,relative;", S("ab....ab.")));
}

static void test_buffers(void)
{
	/* tcp.hdr with an MSS option: 24 bytes */
	CHECK_INT(1, on_tcp("tcp.hdr; content:\"|02 04 05 b4|\"; offset:20; depth:4;", S("x")));
	CHECK_INT(1, on_tcp("tcp.hdr; bsize:24;", S("x")));
	CHECK_INT(0, on_tcp("tcp.hdr; bsize:20;", S("x")));
	CHECK_INT(1, on_tcp("tcp.hdr; byte_test:1,&,0x08,13;", S("x")));
	/* the payload is not the header */
	CHECK_INT(0, on_tcp("tcp.hdr; content:\"x\";", S("x")));
	/* pkt_data goes back to the payload */
	CHECK_INT(1, on_tcp("tcp.hdr; content:\"|00 50|\"; offset:2; depth:2; pkt_data;"
			    " content:\"x\"; startswith;", S("x")));
	CHECK_INT(1, on_tcp("ipv4.hdr; content:\"|45|\"; startswith; bsize:20;", S("x")));
	CHECK_INT(1, on_tcp("ipv4.hdr; content:\"|c0 a8 01 01|\"; endswith;", S("x")));
	CHECK_INT(0, on_tcp("ipv6.hdr; content:\"|60|\";", S("x")));
	CHECK_INT(0, on_tcp("udp.hdr; bsize:8;", S("x")));
	/* startswith/endswith on the payload */
	CHECK_INT(1, on_tcp("content:\"GET\"; startswith; content:\"1.1\"; endswith;",
			    S("GET / HTTP/1.1")));
	CHECK_INT(0, on_tcp("content:\"GET\"; startswith; content:\"1.1\"; endswith;",
			    S("GET / HTTP/1.1\r\n")));
}

/* The rules of suricata-verify cases whose pcaps are not in this tree, on
 * the payloads their READMEs describe. */
static void test_verify_equivalents(void)
{
	/* detect-bytejump-01: "13" read as a string, jump from the end */
	const char *q = "Question?13When will the pandemic end?";

	CHECK_INT(1, on_tcp("content:\"Question?\"; byte_jump:2,0,relative,string,from_end,"
			    "post_offset -26; content:\"pandemic\"; distance:0;", q, 38));
	CHECK_INT(0, on_tcp("content:\"Question?\"; byte_jump:0,0,relative,string,from_end,"
			    "post_offset -3; content:\"pandemic\"; distance:0;", q, 38));
	/* bug-7390: a distance from byte_extract behaves as the same scalar */
	CHECK_INT(1, on_tcp("content:\"Authorization:\"; content:\"5f71ycy\"; distance:0;"
			    " byte_extract:1,0,option_len,string,relative; content:!\"|38|\";"
			    " distance:option_len; within:1; content:\"|37|\"; distance:-1;"
			    " within:1;"
			    " content:\"|49|\"; distance:option_len; within:1;",
			    S("Authorization: 5f71ycy71234567I")));
	CHECK_INT(1, on_tcp("content:\"Authorization:\"; content:\"5f71ycy\"; distance:0;"
			    " byte_extract:1,0,option_len,string,relative; content:!\"|38|\";"
			    " distance:7; within:1; content:\"|37|\"; distance:-1; within:1;"
			    " content:\"|49|\"; distance:option_len; within:1;",
			    S("Authorization: 5f71ycy71234567I")));
	CHECK_INT(0, on_tcp("content:\"Authorization:\"; content:\"5f71ycy\"; distance:0;"
			    " byte_extract:1,0,option_len,string,relative; content:!\"|38|\";"
			    " distance:option_len; within:1; content:\"|37|\"; distance:-1;"
			    " within:1;",
			    S("Authorization: 5f71ycy712345678")));
}

/* One rule against a prepared packet. */
static uint32_t on_pkt(const char *rule, struct packet *p)
{
	struct detect_env e = setup(rule);
	uint32_t n = run(&e, p);

	detect_env_teardown(&e);
	return n;
}

#define TR(o) "alert tcp any any -> any any (" o " sid:1;)\n"
#define IR(o) "alert ip any any -> any any (" o " sid:1;)\n"

static void test_tcp_header(void)
{
	struct packet *syn = tcp_frame(&fr, TCP_SYN, true, "", 0);

	CHECK_INT(1, on_pkt(TR("flags:S;"), syn));
	CHECK_INT(0, on_pkt(TR("flags:SA;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:*SA;"), syn));
	CHECK_INT(0, on_pkt(TR("flags:!S;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:!A;"), syn));
	CHECK_INT(1, on_pkt(TR("tcp.flags:S;"), syn));
	syn = tcp_frame(&fr, TCP_SYN | TCP_ECE | TCP_CWR, true, "", 0);
	CHECK_INT(0, on_pkt(TR("flags:S;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:S,CE;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:S,12;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:S+;"), syn));
	CHECK_INT(1, on_pkt(TR("flags:+SEC;"), syn));
	syn = tcp_frame(&fr, 0, false, "", 0);
	CHECK_INT(1, on_pkt(TR("flags:0;"), syn));
	CHECK_INT(0, on_pkt(TR("flags:S;"), syn));

	syn = tcp_frame(&fr, TCP_SYN, true, "", 0);
	CHECK_INT(1, on_pkt(TR("seq:1000; ack:7; window:1024;"), syn));
	CHECK_INT(0, on_pkt(TR("seq:1001;"), syn));
	CHECK_INT(1, on_pkt(TR("seq:>999;"), syn));
	CHECK_INT(0, on_pkt(TR("ack:0;"), syn));
	CHECK_INT(1, on_pkt(TR("window:!1023;"), syn));
	CHECK_INT(0, on_pkt(TR("window:!1024;"), syn));
	CHECK_INT(1, on_pkt(TR("tcp.mss:1460;"), syn));
	CHECK_INT(1, on_pkt(TR("tcp.mss:>536;"), syn));
	CHECK_INT(0, on_pkt(TR("tcp.mss:<536;"), syn));
	syn = tcp_frame(&fr, TCP_SYN, false, "", 0);
	CHECK_INT(0, on_pkt(TR("tcp.mss:>0;"), syn));
	/* TCP keywords never match UDP */
	ip4(&fr, 17, false);
	fr.p.l4 = fr.b + 20;
	fr.p.l4_len = 8;
	fr.p.payload = fr.b + 28;
	CHECK_INT(0, on_pkt(IR("flags:0;"), &fr.p));
	CHECK_INT(0, on_pkt(IR("window:0;"), &fr.p));
	CHECK_INT(1, on_pkt(IR("udp.hdr; bsize:8;"), &fr.p));
}

static void test_ip_header(void)
{
	struct packet *p = tcp_frame(&fr, TCP_ACK, false, "", 0);

	CHECK_INT(1, on_pkt(IR("id:12345;"), p));
	CHECK_INT(0, on_pkt(IR("id:1;"), p));
	CHECK_INT(1, on_pkt(IR("tos:16;"), p));
	CHECK_INT(1, on_pkt(IR("tos:x10;"), p));
	CHECK_INT(0, on_pkt(IR("tos:!16;"), p));
	/* fragbits: DF set */
	CHECK_INT(1, on_pkt(IR("fragbits:D;"), p));
	CHECK_INT(0, on_pkt(IR("fragbits:M;"), p));
	CHECK_INT(1, on_pkt(IR("fragbits:*MD;"), p));
	CHECK_INT(0, on_pkt(IR("fragbits:!D;"), p));
	CHECK_INT(0, on_pkt(IR("fragbits:D+;"), p));      /* + wants another bit too */
	fr.b[6] = 0x60;                                    /* DF and MF */
	CHECK_INT(1, on_pkt(IR("fragbits:D+;"), p));
	CHECK_INT(0, on_pkt(IR("fragbits:D;"), p));
	/* fragoffset: IPv4 in 8-byte units */
	p->frag_off = 1480;
	CHECK_INT(1, on_pkt(IR("fragoffset:185;"), p));
	CHECK_INT(1, on_pkt(IR("fragoffset:>0;"), p));
	p->frag_off = 0;
	CHECK_INT(0, on_pkt(IR("fragoffset:>0;"), p));
	CHECK_INT(1, on_pkt(IR("fragoffset:!1;"), p));
	/* options */
	CHECK_INT(0, on_pkt(IR("ipopts:any;"), p));
	ip4(&fr, 6, true);
	CHECK_INT(1, on_pkt(IR("ipopts:any;"), &fr.p));
	CHECK_INT(1, on_pkt(IR("ipopts:nop;"), &fr.p));
	CHECK_INT(0, on_pkt(IR("ipopts:lsrr;"), &fr.p));
	CHECK_INT(1, on_pkt(IR("ipv4.hdr; bsize:24;"), &fr.p));
	/* sameip */
	CHECK_INT(0, on_pkt(IR("sameip;"), &fr.p));
	fr.p.dst = fr.p.src;
	CHECK_INT(1, on_pkt(IR("sameip;"), &fr.p));
}

static void test_icmp(void)
{
	uint8_t *icmp;

	ip4(&fr, 1, false);
	icmp = fr.b + 20;
	icmp[0] = 8;                                    /* echo request */
	icmp[4] = 0x12, icmp[5] = 0x34;                 /* id 0x1234 */
	icmp[6] = 0x00, icmp[7] = 0x05;                 /* seq 5 */
	fr.p.icmp.type = 8;
	fr.p.l4 = icmp;
	fr.p.l4_len = 8;
	fr.p.payload = icmp + 8;
	CHECK_INT(1, on_pkt("alert icmp any any -> any any (icmp_id:4660; sid:1;)\n", &fr.p));
	CHECK_INT(0, on_pkt("alert icmp any any -> any any (icmp_id:4661; sid:1;)\n", &fr.p));
	CHECK_INT(1, on_pkt("alert icmp any any -> any any (icmp_seq:5; sid:1;)\n", &fr.p));
	CHECK_INT(1, on_pkt("alert icmp any any -> any any (icmp_seq:\"5\"; icmp_id:!0;"
			    " sid:1;)\n", &fr.p));
	CHECK_INT(1, on_pkt("alert icmp any any -> any any (icmpv4.hdr; bsize:8;"
			    " content:\"|08|\"; startswith; sid:1;)\n", &fr.p));
	/* destination unreachable has no id */
	icmp[0] = 3;
	fr.p.icmp.type = 3;
	CHECK_INT(0, on_pkt("alert icmp any any -> any any (icmp_id:4660; sid:1;)\n", &fr.p));
}

static void flow_pkt(struct packet *p, struct flow *f, enum pkt_dir dir, uint64_t ts)
{
	p->flow = f;
	p->flags |= PKT_F_HAS_FLOW;
	p->dir = dir;
	p->flow_flags = dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT;
	p->ts_us = ts;
	if (dir == PKT_TO_CLIENT) {
		union ip_addr a = p->src;

		p->src = p->dst;
		p->dst = a;
	}
}

static void test_stream_size(void)
{
	struct flow f;
	struct packet *p = tcp_frame(&fr, TCP_ACK, false, "x", 1);

	/* a session with its handshake: sizes from the sequence numbers (the
	 * client sent 300 bytes after its SYN, the server 5000 after its
	 * SYN/ACK); the byte counters, headers included, do not count */
	memset(&f, 0, sizeof(f));
	f.flow_id = 1;
	f.tcp_state = TCP_ST_ESTABLISHED;
	f.isn[0] = 0xfffffff0u;                   /* wraps: 301 all the same */
	f.seq.side[0].next_seq = 0xfffffff0u + 301u;
	f.isn[1] = 7000;
	f.seq.side[1].next_seq = 7000 + 5001;
	f.bytes[PKT_TO_SERVER] = 999;
	f.bytes[PKT_TO_CLIENT] = 9999;
	flow_pkt(p, &f, PKT_TO_SERVER, 1);
	CHECK_INT(1, on_pkt(TR("stream_size:client,=,301;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:server,>,5000;"), p));
	CHECK_INT(0, on_pkt(TR("stream_size:server,>,5001;"), p));
	CHECK_INT(0, on_pkt(TR("stream_size:both,>,400;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:either,>,400;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:both,!=,1;"), p));
	CHECK_INT(0, on_pkt(TR("stream_size:client,<,301;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:client,<=,301;"), p));
	/* the SYN alone: the server has used nothing yet */
	f.tcp_state = TCP_ST_SYN_SENT;
	f.seq.side[0].next_seq = f.isn[0] + 1;
	f.isn[1] = f.seq.side[1].next_seq = 0;
	CHECK_INT(1, on_pkt(TR("stream_size:server,=,0;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:client,=,1;"), p));
	/* a midstream pickup: the byte counters per direction */
	f.tcp_state = TCP_ST_ESTABLISHED;
	f.flags = FLOW_F_MIDSTREAM;
	CHECK_INT(1, on_pkt(TR("stream_size:client,=,999;"), p));
	CHECK_INT(1, on_pkt(TR("stream_size:server,=,9999;"), p));
	/* no session (a packet no handshake or pickup started) */
	f.tcp_state = TCP_ST_NONE;
	CHECK_INT(0, on_pkt(TR("stream_size:either,>=,0;"), p));
	/* no flow, no stream */
	f.tcp_state = TCP_ST_ESTABLISHED;
	p->flow = NULL;
	CHECK_INT(0, on_pkt(TR("stream_size:either,>=,0;"), p));
}

/* flow.age and the flow counters: the flow's own, direction by direction */
static void test_flow_counters(void)
{
	struct flow f;
	struct packet *p = tcp_frame(&fr, TCP_ACK, false, "x", 1);

	memset(&f, 0, sizeof(f));
	f.flow_id = 1;
	f.first_ts_us = 1000999999;         /* second 1000 */
	f.last_ts_us = 1012000000;          /* second 1012: 12 s, not 11.000001 */
	f.pkts[PKT_TO_SERVER] = 3;
	f.pkts[PKT_TO_CLIENT] = 2;
	f.bytes[PKT_TO_SERVER] = 180;
	f.bytes[PKT_TO_CLIENT] = 6000000000ull;  /* past 32 bits: read as the maximum */
	flow_pkt(p, &f, PKT_TO_SERVER, f.last_ts_us);
	CHECK_INT(1, on_pkt(TR("flow.age:12;"), p));
	CHECK_INT(1, on_pkt(TR("flow.age:>11;"), p));
	CHECK_INT(0, on_pkt(TR("flow.age:<12;"), p));
	CHECK_INT(1, on_pkt(TR("flow.pkts_toserver:3; flow.pkts_toclient:2;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts_toserver:2;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts_toclient:>2;"), p));
	CHECK_INT(1, on_pkt(TR("flow.bytes_toserver:100-200;"), p));
	CHECK_INT(0, on_pkt(TR("flow.bytes_toserver:>180;"), p));
	CHECK_INT(1, on_pkt(TR("flow.bytes_toclient:>4000000000;"), p));
	CHECK_INT(0, on_pkt(TR("flow.bytes_toclient:<4000000000;"), p));
	/* Suricata 8's flow.pkts / flow.bytes: a direction, or either one */
	CHECK_INT(1, on_pkt(TR("flow.pkts:toserver,3; flow.pkts:toclient,2;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts:toclient,3;"), p));
	CHECK_INT(1, on_pkt(TR("flow.pkts:either,2;"), p));
	CHECK_INT(1, on_pkt(TR("flow.pkts:either,3;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts:either,>3;"), p));
	CHECK_INT(1, on_pkt(TR("flow.bytes:either,<200; flow.pkts:either,=3;"), p));
	CHECK_INT(0, on_pkt(TR("flow.bytes:either,200-4000000000;"), p));
	/* the rule is not IP-only: every packet of the flow is checked anew */
	CHECK_INT(1, on_pkt(IR("flow.pkts_toserver:>=3;"), p));
	/* no flow: none holds */
	p->flow = NULL;
	CHECK_INT(0, on_pkt(TR("flow.age:<100;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts_toserver:<100;"), p));
	CHECK_INT(0, on_pkt(TR("flow.pkts:either,<100;"), p));
}

static void test_icmpv6_mtu(void)
{
	uint8_t *icmp;

	memset(&fr, 0, sizeof(fr));
	icmp = fr.b + 40;
	icmp[0] = 2;                                    /* packet too big */
	icmp[4] = 0, icmp[5] = 0, icmp[6] = 0x05, icmp[7] = 0x00;   /* MTU 1280 */
	fr.p.ip_ver = 6;
	fr.p.proto = 58;
	fr.p.l3 = fr.b;
	fr.p.icmp.type = 2;
	fr.p.l4 = icmp;
	fr.p.l4_len = 48;
	fr.p.payload = icmp + 8;
	fr.p.payload_len = 40;
	CHECK_INT(1, on_pkt("alert icmpv6 any any -> any any (icmpv6.mtu:1280; sid:1;)\n", &fr.p));
	CHECK_INT(1, on_pkt("alert icmpv6 any any -> any any (icmpv6.mtu:<1500; sid:1;)\n", &fr.p));
	CHECK_INT(0, on_pkt("alert icmpv6 any any -> any any (icmpv6.mtu:>1280; sid:1;)\n", &fr.p));
	/* another code, or another type, has no MTU */
	fr.p.icmp.code = 1;
	CHECK_INT(0, on_pkt("alert icmpv6 any any -> any any (icmpv6.mtu:1280; sid:1;)\n", &fr.p));
	fr.p.icmp.code = 0;
	icmp[0] = 1;
	fr.p.icmp.type = 1;
	CHECK_INT(0, on_pkt("alert icmpv6 any any -> any any (icmpv6.mtu:1280; sid:1;)\n", &fr.p));
}

static void test_xbits(void)
{
	struct detect_env e = setup(
		"alert tcp any any -> any any (content:\"login\"; xbits:set,seen,track ip_pair,"
		"expire 30; noalert; sid:1;)\n"
		"alert tcp any any -> any any (content:\"data\"; xbits:isset,seen,track ip_pair;"
		" sid:2;)\n"
		"alert tcp any any -> any any (content:\"data\"; xbits:isnotset,seen,track ip_pair;"
		" sid:3;)\n"
		"alert tcp any any -> any any (content:\"src\"; xbits:set,host,track ip_src;"
		" noalert; sid:4;)\n"
		"alert tcp any any -> any any (content:\"chk\"; xbits:isset,host,track ip_src;"
		" sid:5;)\n"
		"alert tcp any any -> any any (content:\"bye\"; xbits:unset,seen,track ip_pair;"
		" noalert; sid:6;)\n");
	struct flow f;
	struct packet *p;

	memset(&f, 0, sizeof(f));
	f.flow_id = 9;
	p = tcp_frame(&fr, TCP_ACK, false, "data", 4);
	flow_pkt(p, &f, PKT_TO_SERVER, 1000000);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	p = tcp_frame(&fr, TCP_ACK, false, "login", 5);
	flow_pkt(p, &f, PKT_TO_SERVER, 2000000);
	CHECK_INT(0, run(&e, p));
	/* the other direction names the same pair */
	p = tcp_frame(&fr, TCP_ACK, false, "data", 4);
	flow_pkt(p, &f, PKT_TO_CLIENT, 3000000);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	/* expired 30 s after the set */
	p = tcp_frame(&fr, TCP_ACK, false, "data", 4);
	flow_pkt(p, &f, PKT_TO_SERVER, 32000001);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	/* set again, then unset */
	p = tcp_frame(&fr, TCP_ACK, false, "login", 5);
	flow_pkt(p, &f, PKT_TO_SERVER, 33000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "bye", 3);
	flow_pkt(p, &f, PKT_TO_SERVER, 34000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "data", 4);
	flow_pkt(p, &f, PKT_TO_SERVER, 35000000);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	/* ip_src: the source that set it, not the other side */
	p = tcp_frame(&fr, TCP_ACK, false, "src", 3);
	flow_pkt(p, &f, PKT_TO_SERVER, 36000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "chk", 3);
	flow_pkt(p, &f, PKT_TO_CLIENT, 37000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "chk", 3);
	flow_pkt(p, &f, PKT_TO_SERVER, 38000000);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(5, res.alerts[0].rule->sid);
	detect_env_teardown(&e);
}

static void test_flowint(void)
{
	struct detect_env e = setup(
		"alert tcp any any -> any any (content:\"x\"; flowint:cnt,notset; flowint:cnt,=,1;"
		" noalert; sid:1;)\n"
		"alert tcp any any -> any any (content:\"x\"; flowint:cnt,isset; flowint:cnt,+,1;"
		" noalert; sid:2;)\n"
		"alert tcp any any -> any any (content:\"x\"; flowint:cnt,>=,3; sid:3;)\n"
		"alert tcp any any -> any any (content:\"y\"; flowint:lim,=,2; noalert; sid:4;)\n"
		"alert tcp any any -> any any (content:\"z\"; flowint:cnt,==,lim; sid:5;)\n");
	struct flow f, g;
	uint32_t hits = 0;
	struct packet *p;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	f.flow_id = 1;
	g.flow_id = 2;
	/* rules run in order: packet 1 sets 1 then adds 1 (2), packet 2 makes 3 */
	for (int i = 0; i < 4; i++) {
		p = tcp_frame(&fr, TCP_ACK, false, "x", 1);
		flow_pkt(p, &f, PKT_TO_SERVER, 1000000u * (uint64_t)(i + 1));
		hits += run(&e, p);
	}
	CHECK_INT(3, hits);
	/* another flow has its own counter */
	p = tcp_frame(&fr, TCP_ACK, false, "x", 1);
	flow_pkt(p, &g, PKT_TO_SERVER, 5000000);
	CHECK_INT(0, run(&e, p));
	/* comparing two counters: needs both set; g: cnt 2 after one packet */
	p = tcp_frame(&fr, TCP_ACK, false, "z", 1);
	flow_pkt(p, &g, PKT_TO_SERVER, 6000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "y", 1);
	flow_pkt(p, &g, PKT_TO_SERVER, 7000000);
	CHECK_INT(0, run(&e, p));
	p = tcp_frame(&fr, TCP_ACK, false, "z", 1);
	flow_pkt(p, &g, PKT_TO_SERVER, 8000000);
	CHECK_INT(1, run(&e, p));
	CHECK_INT(5, res.alerts[0].rule->sid);
	/* without a flow nothing holds */
	p = tcp_frame(&fr, TCP_ACK, false, "x", 1);
	CHECK_INT(0, run(&e, p));
	/* the counters are the flow's, in the order first set, by the ids of
	 * the rules' flowint names */
	CHECK(f.det.vars != NULL && f.det.vars->nints == 1);
	CHECK(g.det.vars != NULL && g.det.vars->nints == 2);
	if (g.det.vars != NULL && g.det.vars->nints == 2) {
		CHECK_STR("cnt", e.rs->flowints.names[g.det.vars->ints[0].id]);
		CHECK_INT(2, g.det.vars->ints[0].value);
		CHECK_STR("lim", e.rs->flowints.names[g.det.vars->ints[1].id]);
		CHECK_INT(2, g.det.vars->ints[1].value);
	}
	if (f.det.vars != NULL)
		CHECK_INT(5, f.det.vars->ints[0].value);
	detect_flow_free(e.mem, &f);
	detect_flow_free(e.mem, &g);
	detect_env_teardown(&e);
}

/* asn1 (rules/rule_kw_asn1.c, dataplane/detect/detect_asn1.c). */
static void test_asn1(void)
{
	uint8_t big[300 + 4];

	PARSES("asn1:bitstring_overflow, double_overflow, relative_offset -4, "
	       "oversize_length 2048;");
	FAILS("asn1:absolute_offset 3;", "asn1: no check given in 'absolute_offset 3'");
	FAILS("asn1:oversize_length 1, absolute_offset 1, relative_offset 1;",
	      "asn1: more than one offset");
	FAILS("asn1:triple_overflow;", "asn1: unknown option 'triple_overflow'");
	FAILS("asn1:oversize_length 1, absolute_offset -1;", "asn1: invalid absolute_offset '-1'");
	FAILS("asn1:oversize_length x;", "asn1: invalid oversize_length 'x'");

	/* SEQUENCE { INTEGER 5, OCTET STRING (4) }: lengths 7, 1, 4 */
	CHECK_INT(1, on_tcp("asn1:oversize_length 6;", S("\x30\x09\x02\x01\x05\x04\x04" "abcd")));
	CHECK_INT(1, on_tcp("asn1:oversize_length 3;", S("\x30\x09\x02\x01\x05\x04\x04" "abcd")));
	CHECK_INT(0, on_tcp("asn1:oversize_length 9;", S("\x30\x09\x02\x01\x05\x04\x04" "abcd")));
	/* the same in long length form: the child's length counts */
	CHECK_INT(1, on_tcp("asn1:oversize_length 3;",
			    S("\x30\x81\x0a\x02\x01\x05\x04\x82\x00\x04" "abcd")));
	/* an object running past the buffer is not checked (nor what follows) */
	CHECK_INT(0, on_tcp("asn1:oversize_length 3;", S("\x04\x7f" "abcd")));
	/* BIT STRING with 17 unused bits in 2 content bytes (16 bits): overflow;
	 * 7 unused bits: fine */
	CHECK_INT(1, on_tcp("asn1:bitstring_overflow;", S("\x03\x02\x11\xff")));
	CHECK_INT(0, on_tcp("asn1:bitstring_overflow;", S("\x03\x02\x07\xff")));
	/* nested in a constructed object */
	CHECK_INT(1, on_tcp("asn1:bitstring_overflow;", S("\x30\x04\x03\x02\x11\xff")));
	/* offsets: absolute, and relative to the previous match */
	CHECK_INT(1, on_tcp("asn1:bitstring_overflow, absolute_offset 3;",
			    S("xyz\x03\x02\x11\xff")));
	CHECK_INT(0, on_tcp("asn1:bitstring_overflow, absolute_offset 2;",
			    S("xyz\x03\x02\x11\xff")));
	CHECK_INT(1, on_tcp("content:\"xy\"; asn1:bitstring_overflow, relative_offset 1;",
			    S("xyz\x03\x02\x11\xff")));
	CHECK_INT(0, on_tcp("content:\"xy\"; asn1:bitstring_overflow, relative_offset 0;",
			    S("xyz\x03\x02\x11\xff")));
	/* a check that holds does not move the relative point */
	CHECK_INT(1, on_tcp("content:\"xy\"; asn1:oversize_length 0, relative_offset 1; "
			    "content:\"z\"; within:1;", S("xyz\x03\x02\x11\xff")));
	/* REAL in decimal form longer than 256 bytes: double_overflow; in
	 * binary form (top bit set) not */
	big[0] = 0x09;
	big[1] = 0x82;
	big[2] = 0x01;
	big[3] = 0x2c;	/* 300 */
	memset(big + 4, '1', 300);
	big[4] = 0x03;
	CHECK_INT(1, on_tcp("asn1:double_overflow;", big, sizeof(big)));
	big[4] = 0x80;
	CHECK_INT(0, on_tcp("asn1:double_overflow;", big, sizeof(big)));
	big[3] = 0x00;	/* 256: not longer than 256 */
	big[4] = 0x03;
	CHECK_INT(0, on_tcp("asn1:double_overflow;", big, 4 + 256));
}

int main(void)
{
	renv = rule_env_new();
	CHECK(renv != NULL);
	rule_env_set_default_vars(renv);
	test_parse_byte();
	test_parse_hdr();
	test_byte_test();
	test_byte_jump();
	test_byte_extract();
	test_byte_math();
	test_isdataat();
	test_buffers();
	test_verify_equivalents();
	test_tcp_header();
	test_ip_header();
	test_icmp();
	test_stream_size();
	test_flow_counters();
	test_icmpv6_mtu();
	test_xbits();
	test_flowint();
	test_asn1();
	rule_env_free(renv);
	return check_result("keywords");
}
