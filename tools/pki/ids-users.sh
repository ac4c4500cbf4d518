#!/bin/sh
# Management users in the SASL database (the file management.sasl.sasldb
# names), a thin wrapper around Cyrus's tools:
#
#   ids-users.sh add  DB USER [PASSWORD-FILE]   saslpasswd2 -a APP -c -f DB USER
#   ids-users.sh del  DB USER                   saslpasswd2 -a APP -d -f DB USER
#   ids-users.sh list DB                        sasldblistusers2 -f DB
#
# APP is management.sasl.app (default ids-control; override with IDS_SASL_APP)
# and the realm is management.sasl.realm if the config sets one (pass it as
# IDS_SASL_REALM), else Cyrus's default, the host name. The
# password is asked on the terminal, or read from PASSWORD-FILE ("-" for
# stdin). Roles are given in the config (management.roles), not here. The
# database is kept mode 0600.
set -eu
umask 077
app=${IDS_SASL_APP:-ids-control}
realm=${IDS_SASL_REALM:+-u $IDS_SASL_REALM}
die() { echo "ids-users: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: ids-users.sh add|del|list DB [USER] [PASSWORD-FILE]"
cmd=$1 db=$2

case $cmd in
add)
	[ $# -ge 3 ] || die "add: USER missing"
	if [ $# -ge 4 ]; then
		if [ "$4" = - ]; then
			saslpasswd2 -a "$app" $realm -p -c -f "$db" "$3"
		else
			saslpasswd2 -a "$app" $realm -p -c -f "$db" "$3" <"$4"
		fi
	else
		saslpasswd2 -a "$app" $realm -c -f "$db" "$3"
	fi
	chmod 600 "$db"
	;;
del)
	[ $# -ge 3 ] || die "del: USER missing"
	saslpasswd2 -a "$app" $realm -d -f "$db" "$3"
	;;
list)
	sasldblistusers2 -f "$db"
	;;
*)
	die "unknown command $cmd (add, del, list)"
	;;
esac
