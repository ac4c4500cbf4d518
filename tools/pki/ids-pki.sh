#!/bin/sh
# Make the management port's PKI with certtool and templates, as libvirt's
# TLS guide does: a CA, a server certificate per appliance, a client
# certificate per operator. Keys are created mode 0600 (umask 077).
#
#   ids-pki.sh ca     DIR [CA-NAME]
#   ids-pki.sh server DIR HOSTNAME [--ip ADDR]... [--dns NAME]...
#   ids-pki.sh client DIR NAME [--org ORG]
#
# Files: DIR/ca-{key,cert}.pem, DIR/server-{key,cert}.pem,
# DIR/NAME-{key,cert}.pem (client). The CA key signs; keep it off the
# appliances. Certificates last 3650 days unless IDS_PKI_DAYS says otherwise.
set -eu
umask 077

die() { echo "ids-pki: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: ids-pki.sh ca|server|client DIR [NAME] [options]"
command -v certtool >/dev/null || die "certtool not found (apt install gnutls-bin)"

cmd=$1 dir=$2
shift 2
days=${IDS_PKI_DAYS:-3650}
mkdir -p "$dir"
tmpl=$(mktemp)
trap 'rm -f "$tmpl"' EXIT

case $cmd in
ca)
	name=${1:-ids management CA}
	printf 'cn = "%s"\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = %s\n' \
		"$name" "$days" >"$tmpl"
	certtool --generate-privkey --key-type=ecdsa --outfile "$dir/ca-key.pem" 2>/dev/null
	certtool --generate-self-signed --load-privkey "$dir/ca-key.pem" \
		--template "$tmpl" --outfile "$dir/ca-cert.pem" 2>/dev/null
	chmod 644 "$dir/ca-cert.pem"
	echo "$dir/ca-cert.pem"
	;;
server)
	[ $# -ge 1 ] || die "server: HOSTNAME missing"
	host=$1
	shift
	{
		printf 'organization = "ids"\ncn = "%s"\ndns_name = "%s"\n' "$host" "$host"
		while [ $# -gt 0 ]; do
			case $1 in
			--ip) [ $# -ge 2 ] || die "--ip needs an address"
				printf 'ip_address = "%s"\n' "$2"; shift 2 ;;
			--dns) [ $# -ge 2 ] || die "--dns needs a name"
				printf 'dns_name = "%s"\n' "$2"; shift 2 ;;
			*) die "server: unknown option $1" ;;
			esac
		done
		printf 'tls_www_server\nsigning_key\nencryption_key\nexpiration_days = %s\n' "$days"
	} >"$tmpl"
	[ -f "$dir/ca-key.pem" ] || die "no CA in $dir (run: ids-pki.sh ca $dir)"
	certtool --generate-privkey --key-type=ecdsa --outfile "$dir/server-key.pem" 2>/dev/null
	certtool --generate-certificate --load-privkey "$dir/server-key.pem" \
		--load-ca-certificate "$dir/ca-cert.pem" --load-ca-privkey "$dir/ca-key.pem" \
		--template "$tmpl" --outfile "$dir/server-cert.pem" 2>/dev/null
	chmod 644 "$dir/server-cert.pem"
	echo "$dir/server-cert.pem"
	;;
client)
	[ $# -ge 1 ] || die "client: NAME missing"
	name=$1 org=ids
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--org) [ $# -ge 2 ] || die "--org needs a name"; org=$2; shift 2 ;;
		*) die "client: unknown option $1" ;;
		esac
	done
	printf 'organization = "%s"\ncn = "%s"\ntls_www_client\nsigning_key\nencryption_key\nexpiration_days = %s\n' \
		"$org" "$name" "$days" >"$tmpl"
	[ -f "$dir/ca-key.pem" ] || die "no CA in $dir (run: ids-pki.sh ca $dir)"
	certtool --generate-privkey --key-type=ecdsa --outfile "$dir/$name-key.pem" 2>/dev/null
	certtool --generate-certificate --load-privkey "$dir/$name-key.pem" \
		--load-ca-certificate "$dir/ca-cert.pem" --load-ca-privkey "$dir/ca-key.pem" \
		--template "$tmpl" --outfile "$dir/$name-cert.pem" 2>/dev/null
	chmod 644 "$dir/$name-cert.pem"
	echo "$dir/$name-cert.pem"
	;;
*)
	die "unknown command $cmd (ca, server, client)"
	;;
esac
