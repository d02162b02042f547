#!/usr/bin/env bash
# Runs a command with tcmalloc preloaded when installed (apt-get install -y libtcmalloc-minimal4):
# glibc malloc makes large libtorch batches 3-5x slower on this workload. Without tcmalloc it falls
# back to glibc's hugetlb tunable, which recovers part of the gap.
#   src/ModelCli/run-with-tcmalloc.sh dotnet src/ModelCli/bin/Release/net10.0/fashion-models.dll train ...
TC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ -f "$TC" ]; then
  export LD_PRELOAD="$TC${LD_PRELOAD:+:$LD_PRELOAD}"
else
  export GLIBC_TUNABLES="glibc.malloc.hugetlb=1${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}"
fi
exec "$@"
