#!/usr/bin/env bash
# The Analyzer's first paint with 1,000,000 captures stored (issue 26: < 200 ms), in real Chromium against the
# packaged forwarder. Fills a store once (TrafficStatsBench: 1,000,000 ~1 KiB captures over the last 24 hours, 10
# apps; it also prints the endpoints' and timeline's query times), then AnalyzerPaintBench starts the forwarder on
# it and loads the page: first contentful paint, first 100 rows, newest-100 API call (medians and worst of 9).
#
#   deploy/bench/analyzer.sh                 # store in /tmp/tapline-analyzer-1m (made when missing, then kept)
#   deploy/bench/analyzer.sh DIR             # another store directory
#   FRESH=1 deploy/bench/analyzer.sh         # make the store again (its captures end "now")
#
# Needs: chromium chromium-driver (Debian packages), a JDK 17. About 1.3 GB of disk for the store.
set -euo pipefail
cd "$(dirname "$0")/../.."
store="${1:-/tmp/tapline-analyzer-1m}"
BENCH=(-B -Dtapline.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false)
log=$(mktemp /tmp/tapline-analyzer-bench.XXXXXX.log)
echo "Maven output: $log"
if [ "${FRESH:-0}" = 1 ]; then
  rm -rf "$store"
fi
if [ ! -d "$store" ]; then
  ./mvnw "${BENCH[@]}" test -pl forwarder -am -Dtest=TrafficStatsBench -Dtapline.bench.store-dir="$store" >> "$log" 2>&1
  grep -h "TrafficStatsBench:" "$log"
fi
./mvnw "${BENCH[@]}" verify -pl deploy -am -Dtest=AnalyzerPaintBench -Dtapline.bench.store-dir="$store" >> "$log" 2>&1
grep -h "AnalyzerPaintBench:" "$log"
