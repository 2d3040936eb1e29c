# Sourced by the bench scripts: how the forwarder (or the neighbour that stands in for it) is scheduled on wrk's
# CPU. In production the forwarder runs on another machine; here it shares the client's CPU and should take only
# the time wrk leaves idle. Sets FWD_PRIORITY, a command prefix.
#
#   FWD_SCHED=idle (default)  SCHED_IDLE (chrt --idle 0): a waking normal task, wrk, preempts it at once
#   FWD_SCHED=nice            nice -n FWD_NICE (default 10), the setting before 2026-11-27 15:00. With it the
#                             proxy's core idled 8.8-11.6 % of the time in keepalive.sh, against 2.0-2.4 % under
#                             SCHED_IDLE: waiting for wrk, which waited for the forwarder (BENCHMARKS.md)
case "${FWD_SCHED:-idle}" in
  idle) FWD_PRIORITY=(chrt --idle 0) ;;
  nice) FWD_PRIORITY=(nice -n "${FWD_NICE:-10}") ;;
  *) echo "FWD_SCHED must be idle or nice, not '$FWD_SCHED'" >&2; exit 2 ;;
esac
