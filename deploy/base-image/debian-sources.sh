#!/usr/bin/env bash
# Prints the Debian package sources this machine's apt uses, one "URI SUITE" per line, in the order apt reads
# them: /etc/apt/sources.list (one-line format), then sources.list.d/*.list and *.sources (deb822), sorted.
# Only enabled "deb" entries with the "main" component count: that is where openjdk-17-jre-headless lives.
#
# Why: the base image must come from the same mirror as the machine's own packages (a corporate mirror, a
# snapshot, a proxy), so no mirror host is written into our scripts.
#
#   deploy/base-image/debian-sources.sh            # e.g. "http://deb.debian.org/debian bookworm"
#   APT_ETC=/some/etc/apt deploy/base-image/debian-sources.sh
set -euo pipefail
export LC_ALL=C   # apt reads sources.list.d in C sort order; globs below sort the same way
APT_ETC="${APT_ETC:-/etc/apt}"

one_line() { # deb [options] URI SUITE COMPONENT...
  sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$1" | awk '
    $1 == "deb" && NF >= 4 { for (i = 4; i <= NF; i++) if ($i == "main") { print $2, $3; next } }'
}

deb822() { # paragraphs of "Field: value"; continuation lines (a Signed-By key block) start with blanks
  awk '
    function flush() {
      if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && tolower(enabled) != "no") {
        n = split(uris, u, " "); m = split(suites, s, " ")
        for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j]
      }
      types = uris = suites = comps = enabled = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^[ \t]/ { next }
    {
      field = tolower($1); sub(/:$/, "", field); $1 = ""; sub(/^ +/, "")
      if (field == "types") types = $0
      else if (field == "uris") uris = $0
      else if (field == "suites") suites = $0
      else if (field == "components") comps = $0
      else if (field == "enabled") enabled = $0
    }
    END { flush() }' "$1"
}

[ -f "$APT_ETC/sources.list" ] && one_line "$APT_ETC/sources.list"
for f in "$APT_ETC"/sources.list.d/*; do
  case "$f" in
    *.list) one_line "$f" ;;
    *.sources) deb822 "$f" ;;
  esac
done
