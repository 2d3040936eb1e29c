# Sourced by every bench script that starts goproxy or the forwarder (needs ROOT): sets GP_JVM_FLAGS and
# FWD_JVM_FLAGS, the JVM flags each image ships (quarkus.jib.jvm-additional-arguments), read from the source so
# that the bench and the images cannot drift apart. They size the heap from the memory the JVM sees: -XX:MaxRAM
# stands in for the container's memory limit (GP_MEMORY, FWD_MEMORY; default the manifests: 384Mi and 768Mi), as the
# bench's CPU pinning stands in for its CPU limit (one CPU: the JVM picks SerialGC and two compiler threads, as in
# a pod limited to 500m).
#
# image_jvm_flags APP (goproxy, forwarder): that image's JVM flags; fails when its properties declare none. Call it
# in a plain assignment, so that set -e stops the script on that failure.
image_jvm_flags() {
  local flags
  flags=$(sed -n 's/^quarkus\.jib\.jvm-additional-arguments=//p' "$ROOT/$1/src/main/resources/application.properties" | tr , ' ')
  [ -n "$flags" ] || { echo "no quarkus.jib.jvm-additional-arguments in $1's application.properties" >&2; return 2; }
  echo "$flags"
}
GP_JVM_FLAGS=$(image_jvm_flags goproxy)
GP_JVM_FLAGS+=" -XX:MaxRAM=${GP_MEMORY:-384m}"
FWD_JVM_FLAGS=$(image_jvm_flags forwarder)
FWD_JVM_FLAGS+=" -XX:MaxRAM=${FWD_MEMORY:-768m}"
