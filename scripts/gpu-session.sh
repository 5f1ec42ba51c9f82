#!/usr/bin/env bash
# One session on a machine with an NVIDIA GPU, no package registry and no Node: runs the benchmark and the
# paper tier on the webgpu engine, and writes every log to $OUT (default ./gpu-out). Needs .gpu-carry/
# from scripts/gpu-pack.sh. Usage: OUT=/some/dir scripts/gpu-session.sh   (see docs/gpu.md)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
C=$ROOT/.gpu-carry
OUT=${OUT:-$ROOT/gpu-out}
mkdir -p "$OUT"
log() { echo "[gpu-session $(date -u +%H:%M:%S)] $*" | tee -a "$OUT/session.log"; }

# 1. Node, node_modules and the Vulkan loader, all carried in
[ -s "$C/node.xz" ] || { log "missing $C/node.xz: run scripts/gpu-pack.sh on a machine with the registry"; exit 2; }
mkdir -p "$C/bin"
[ -x "$C/bin/node" ] || { xz -dc "$C/node.xz" > "$C/bin/node" && chmod +x "$C/bin/node"; }
[ -d node_modules/webgpu ] || { rm -rf node_modules && xz -dc "$C/node_modules.tar.xz" | tar -xf -; }
export PATH="$C/bin:$PATH"
export LD_LIBRARY_PATH="$C/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# NVIDIA's Vulkan ICD on these machines; override VK_DRIVER_FILES if yours lives elsewhere
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
# The Python with CUDA PyTorch, for the bench's PyTorch-CUDA peer
export TMS_BENCH_PYTHON=${TMS_BENCH_PYTHON:-$(command -v python3 || echo /usr/bin/python3)}
NODE="$C/bin/node"
TSX="$ROOT/node_modules/tsx/dist/loader.mjs"

{
  date -u; uname -a; nvidia-smi 2>&1 | head -15
  echo "node $("$NODE" --version)"; echo "VK_DRIVER_FILES=$VK_DRIVER_FILES"
  "$TMS_BENCH_PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name() if torch.cuda.is_available() else "")' 2>&1
} > "$OUT/machine.txt"
log "machine: $(tail -1 "$OUT/machine.txt")"

# 2. The adapter: the webgpu engine must find the GPU, not a software fallback
"$NODE" --import "$TSX" -e "import('./src/engines/webgpu/device.ts').then(async (d) => { const p = await d.probeAdapter(); console.log(p.ok ? 'adapter: ' + d.describeAdapter(p.info) : 'no adapter: ' + p.why); process.exit(p.ok && !p.info.software ? 0 : 3); })" > "$OUT/adapter.txt" 2>&1
probe=$?
log "$(grep -E '^(adapter|no adapter)' "$OUT/adapter.txt" || tail -3 "$OUT/adapter.txt")"
[ $probe -eq 0 ] || log "WARNING: no hardware adapter; the runs below would not use the GPU"

# 3. The benchmark (webgpu vs PyTorch-CUDA vs native on this machine's CPU), then the C4 paper config alone
t=$(date +%s)
"$NODE" --import "$TSX" bench/run.ts --no-tfjs --scale 1 --repeat 2 > "$OUT/bench.log" 2>&1; log "bench: exit $? in $(( $(date +%s) - t )) s"
"$NODE" --import "$TSX" bench/run.ts --no-tfjs --only c4-paper --scale 5 --repeat 1 > "$OUT/bench-c4-paper.log" 2>&1; log "bench c4-paper: exit $?"
cp -r bench/out "$OUT/bench-out" 2>/dev/null

# 4. The paper tier on the webgpu engine, every spec, with a fresh run cache; per-spec times in the JSON report
t=$(date +%s)
TMS_TIER=paper TMS_ENGINE=webgpu TMS_CACHE_DIR="$OUT/cache" \
  "$NODE" node_modules/vitest/vitest.mjs run specs/ --reporter=default --reporter=./src/report/vitest-reporter.ts --reporter=json --outputFile="$OUT/paper-tier.json" > "$OUT/paper-tier.log" 2>&1
log "paper tier (TMS_TIER=paper TMS_ENGINE=webgpu vitest run specs/): exit $? in $(( $(date +%s) - t )) s"
"$NODE" -e "const r = require('$OUT/paper-tier.json'); for (const f of r.testResults) console.log(((f.endTime - f.startTime) / 1000).toFixed(1).padStart(8) + ' s  ' + f.status.padEnd(7) + f.name.replace(/.*specs\//, 'specs/'))" > "$OUT/paper-tier-times.txt" 2>&1
cat "$OUT/paper-tier-times.txt" | tee -a "$OUT/session.log"
cp -r out/results "$OUT/results" 2>/dev/null
log "done; logs in $OUT"
