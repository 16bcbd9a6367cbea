#!/usr/bin/env bash
# Fails if an object file compiled with ISA flags (avx2.cc, avx512vnni.cc of a kernel family)
# defines a weak or unique symbol. Such a symbol (an inline function or template instantiated in
# several files) is merged by the linker into one copy, which may be the AVX-512 one, and then
# runs on CPUs without AVX-512 (SIGILL). Usage: check_isa_objects.sh OBJECT...
set -euo pipefail
status=0
for obj in "$@"; do
  case "$(basename "$obj")" in avx2.cc.o|avx512vnni.cc.o) ;; *) continue ;; esac
  bad=$(nm -C "$obj" | awk '$(NF-1) ~ /^[WVu]$/' || true)
  if [ -n "$bad" ]; then
    echo "$obj defines shared (weak) symbols compiled with ISA flags:"
    echo "$bad"
    status=1
  fi
done
exit $status
