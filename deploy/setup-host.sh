#!/bin/sh
# Prepare a server for idsd: hugepages on the ports' NUMA node, ports bound to
# vfio-pci, and a report of CPU isolation and NUMA placement. Installed as
# ids-setup-host; see ids-setup-host(8) and deploy/README.md.
#
#   ids-setup-host [--config FILE] [--port PCI]... [--hugepages SIZE]
#                  [--pagesize 1G|2M] [--driver vfio-pci] [--persist] [--check]
#
# --check changes nothing: it reports and exits 1 when a port, its
# hugepages and the worker CPUs are not on one NUMA node. IDS_SYSFS points
# at another sysfs tree (the tests use a fake one).
set -eu

sys=${IDS_SYSFS:-/sys}
config=/etc/ids/idsd.yaml
ports=""
hugepages=""
pagesize=1G
driver=vfio-pci
persist=0
check=0
problems=0

die() { echo "ids-setup-host: $*" >&2; exit 2; }
warn() { echo "ids-setup-host: $*" >&2; problems=$((problems + 1)); }
usage() {
	sed -n '6,7p' "$0" | sed 's/^# *//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--config) [ $# -ge 2 ] || usage; config=$2; shift ;;
	--port) [ $# -ge 2 ] || usage; ports="$ports $2"; shift ;;
	--hugepages) [ $# -ge 2 ] || usage; hugepages=$2; shift ;;
	--pagesize) [ $# -ge 2 ] || usage; pagesize=$2; shift ;;
	--driver) [ $# -ge 2 ] || usage; driver=$2; shift ;;
	--persist) persist=1 ;;
	--check) check=1 ;;
	-h|--help) usage ;;
	*) die "unknown argument '$1' (--help)" ;;
	esac
	shift
done

# The ports: given, else the PCI addresses the config's interfaces name
# (vdevs such as net_af_packet0 are not PCI and need no binding).
if [ -z "$ports" ] && [ -r "$config" ]; then
	ports=$(sed -n 's/^[[:space:]]*-\{0,1\}[[:space:]]*interface:[[:space:]]*"\{0,1\}\([0-9a-fA-F]\{4\}:[0-9a-fA-F]\{2\}:[0-9a-fA-F]\{2\}\.[0-7]\)"\{0,1\}.*/\1/p' "$config" | sort -u)
fi

# Expand a CPU list ("1-3,8") into one number per line.
cpulist() {
	echo "$1" | tr ',' '\n' | while IFS=- read -r a b; do
		[ -n "$a" ] || continue
		seq "$a" "${b:-$a}"
	done
}

# NUMA node of a PCI device (-1 on a single-node machine: node 0).
port_node() {
	f="$sys/bus/pci/devices/$1/numa_node"
	[ -r "$f" ] || { echo none; return; }
	n=$(cat "$f")
	[ "$n" -ge 0 ] 2>/dev/null || n=0
	echo "$n"
}

# Hugepages reserved on a node, all sizes, in MB.
node_huge_mb() {
	total=0
	for d in "$sys/devices/system/node/node$1/hugepages"/hugepages-*kB; do
		[ -d "$d" ] || continue
		kb=${d##*hugepages-}
		kb=${kb%kB}
		total=$((total + $(cat "$d/nr_hugepages") * kb / 1024))
	done
	echo "$total"
}

# CPUs of a node.
node_cpus() {
	f="$sys/devices/system/node/node$1/cpulist"
	[ -r "$f" ] && cat "$f" || echo ""
}

# Worker CPUs from the config's worker-cpu-set (a list of numbers or
# ranges on one line), else none known.
worker_cpus() {
	[ -r "$config" ] || return 0
	awk '/worker-cpu-set/ { w = 1; next }
	     w && /cpu:/ { sub(/.*cpu:[[:space:]]*\[/, ""); sub(/\].*/, "");
	                   gsub(/["[:space:]]/, ""); print; exit }' "$config"
}

placement_check() {
	[ -n "$ports" ] || { echo "no PCI ports (vdevs only): no placement to check"; return; }
	wcpus=$(worker_cpus)
	isolated=$(cat "$sys/devices/system/cpu/isolated" 2>/dev/null || true)
	for p in $ports; do
		node=$(port_node "$p")
		if [ "$node" = none ]; then
			warn "$p: no such PCI device"
			continue
		fi
		drv=$(basename "$(readlink "$sys/bus/pci/devices/$p/driver" 2>/dev/null)" 2>/dev/null ||
			true)
		mb=$(node_huge_mb "$node")
		echo "$p: NUMA node $node, driver ${drv:-none}, ${mb} MB of hugepages on node $node"
		[ "$mb" -gt 0 ] || warn "$p: no hugepages on its node $node (--hugepages SIZE)"
		case $drv in
		vfio-pci|uio_pci_generic|igb_uio|mlx5_core|mlx4_core) ;;
		*) warn "$p: bound to '${drv:-none}', not a DPDK driver (this script binds it)" ;;
		esac
		[ -n "$wcpus" ] || continue
		ncpus=" $(cpulist "$(node_cpus "$node")" | tr '\n' ' ') "
		icpus=" $(cpulist "$isolated" | tr '\n' ' ') "
		for c in $(cpulist "$wcpus"); do
			case $ncpus in
			*" $c "*) ;;
			*) warn "$p: worker CPU $c is not on the port's node $node (CPUs $(node_cpus "$node"))" ;;
			esac
			case $icpus in
			*" $c "*) ;;
			*) echo "hint: worker CPU $c is not isolated (isolcpus)" ;;
			esac
		done
	done
}

isolation_hints() {
	cmdline=$(cat /proc/cmdline 2>/dev/null || true)
	wcpus=$(worker_cpus)
	echo "kernel command line hints (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub):"
	case $cmdline in
	*iommu=pt*) ;;
	*) echo "  intel_iommu=on iommu=pt        (or amd_iommu=on): vfio-pci needs the IOMMU" ;;
	esac
	case $cmdline in
	*hugepagesz=1G*) ;;
	*) echo "  default_hugepagesz=1G hugepagesz=1G hugepages=N   (boot-time 1G pages)" ;;
	esac
	if [ -n "$wcpus" ]; then
		case $cmdline in
		*isolcpus=*) ;;
		*) echo "  isolcpus=managed_irq,domain,$wcpus nohz_full=$wcpus rcu_nocbs=$wcpus" ;;
		esac
	fi
	echo "  and keep irqbalance off the worker CPUs (IRQBALANCE_BANNED_CPULIST=${wcpus:-LIST})"
}

if [ "$check" -eq 1 ]; then
	placement_check
	isolation_hints
	[ "$problems" -eq 0 ] || { echo "placement: $problems problem(s)"; exit 1; }
	echo "placement: ok"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root (or use --check)"
command -v dpdk-hugepages.py >/dev/null || die "dpdk-hugepages.py not found (apt install dpdk)"
command -v dpdk-devbind.py >/dev/null || die "dpdk-devbind.py not found (apt install dpdk)"

# Hugepages, on each port's node (the whole machine when there is no port).
nodes=""
if [ -n "$hugepages" ]; then
	for p in $ports; do
		n=$(port_node "$p")
		[ "$n" = none ] || nodes="$nodes $n"
	done
	nodes=$(echo "$nodes" | tr ' ' '\n' | sort -u | tr '\n' ' ')
	dpdk-hugepages.py --clear
	dpdk-hugepages.py --unmount 2>/dev/null || true
	if [ -z "${nodes# }" ]; then
		dpdk-hugepages.py --pagesize "$pagesize" --reserve "$hugepages"
	else
		for n in $nodes; do
			dpdk-hugepages.py --pagesize "$pagesize" --node "$n" --reserve "$hugepages"
		done
	fi
	dpdk-hugepages.py --mount
	dpdk-hugepages.py --show
fi

# Ports: vfio-pci needs its module and, for safety, an IOMMU.
if [ -n "$ports" ]; then
	modprobe "$driver" 2>/dev/null || modprobe "$(echo "$driver" | tr - _)" ||
		die "cannot load $driver"
	if [ "$driver" = vfio-pci ] && [ -z "$(ls "$sys/kernel/iommu_groups" 2>/dev/null)" ]; then
		die "no IOMMU groups: boot with intel_iommu=on iommu=pt (or amd_iommu=on)"
	fi
	# shellcheck disable=SC2086
	dpdk-devbind.py --bind "$driver" $ports
	dpdk-devbind.py --status-dev net
fi

# Persist for Debian's dpdk.service, which repeats both at every boot.
if [ "$persist" -eq 1 ]; then
	if [ -n "$hugepages" ]; then
		var=NR_2M_PAGES
		per=$((2 * 1024 * 1024))
		[ "$pagesize" = 1G ] && var=NR_1G_PAGES && per=$((1024 * 1024 * 1024))
		count=$(($(echo "$hugepages" | numfmt --from=iec) / per))
		# one count per node, in node order ("0 4": 4 pages on node 1)
		list=""
		for d in "$sys"/devices/system/node/node[0-9]*; do
			n=${d##*node}
			c=0
			case " $nodes " in *" $n "*) c=$count ;; esac
			[ -n "${nodes# }" ] || c=$count
			list="$list $c"
		done
		sed -i "/^$var=/d" /etc/dpdk/dpdk.conf
		echo "$var=\"${list# }\"" >>/etc/dpdk/dpdk.conf
	fi
	for p in $ports; do
		sed -i "/^pci[[:space:]]*${p}[[:space:]]/d" /etc/dpdk/interfaces
		printf 'pci\t%s\t%s\n' "$p" "$driver" >>/etc/dpdk/interfaces
	done
	systemctl enable dpdk.service >/dev/null 2>&1 || true
	echo "persisted in /etc/dpdk/dpdk.conf and /etc/dpdk/interfaces (dpdk.service)"
fi

placement_check
isolation_hints
[ "$problems" -eq 0 ] || exit 1
