#!/bin/sh
# Install what building and testing need, from Debian 12's archive. Idempotent:
# packages already present are left alone, and apt runs only when one is missing.
set -eu

PKGS="gcc pkg-config meson ninja-build python3 python3-yaml python3-scapy
libdpdk-dev dpdk libhyperscan-dev libyaml-dev libnuma-dev libcap-ng-dev libpcre2-dev
libpcap-dev libgnutls28-dev nettle-dev libsasl2-dev libhtp-dev zlib1g-dev libmagic-dev libjemalloc-dev libdeflate-dev
libsasl2-modules libsasl2-modules-gssapi-mit sasl2-bin gnutls-bin krb5-kdc krb5-admin-server krb5-user
gnuplot-nox
libmnl-dev keepalived
iproute2 ethtool curl
systemd logrotate groff-base libsystemd-dev
redis-server redis-tools
jq file linux-perf"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-deps: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "setup-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
