/// <reference types="@webgpu/types" />
// Finds the WebGPU adapter: loads the optional `webgpu` package (Google Dawn's Node binding) by dynamic
// import, asks Dawn for its best adapter and says, when there is none, what is missing on this platform.
// A null adapter means "no GPU here", never a crash; callers decide whether that is an error.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// A variable, so the type checker does not need the optional package to be installed.
const WEBGPU = 'webgpu';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a fallback or software adapter (lavapipe, SwiftShader, WARP): fine for tests, never for speed */
  software: boolean;
}

export type Probe =
  | { ok: true; adapter: GPUAdapter; info: AdapterInfo }
  | { ok: false; why: string };

let memo: Promise<Probe> | undefined;
// Dawn's GPU object must outlive its adapters and devices: collecting it was seen to crash Dawn.
let keepAlive: GPU | undefined;

/** The adapter Dawn picks here (memoised per process). */
export function probeAdapter(): Promise<Probe> {
  return (memo ??= probe());
}

export function describeAdapter(a: AdapterInfo): string {
  return `${a.vendor || 'unknown vendor'}, ${a.architecture || 'unknown architecture'}, ${a.description || a.device || 'no description'}${a.software ? ' (software)' : ''}`;
}

/** The adapter's identity as a cache-key component: float results may differ between adapters and drivers. */
export function adapterKey(a: AdapterInfo): string {
  return [a.vendor, a.architecture, a.device, a.description].map((s) => s.replace(/\s+/g, ' ').trim()).join('|');
}

async function probe(): Promise<Probe> {
  let mod: { create(flags: string[]): GPU };
  try {
    mod = (await import(WEBGPU)) as { create(flags: string[]): GPU };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const missing = err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND';
    return { ok: false, why: missing ? 'the optional npm package "webgpu" is not installed (npm ci installs it)' : `the "webgpu" package failed to load: ${String(err.message ?? e).split('\n')[0]}` };
  }
  const gpu = (keepAlive = mod.create([]));
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, why: `no WebGPU adapter: ${missingDriver()}` };
  const i = (adapter as unknown as { info: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  const fallback = Boolean(i.isFallbackAdapter ?? (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const info: AdapterInfo = { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '', software: false };
  info.software = fallback || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader|warp|software/i.test(`${info.device} ${info.description}`);
  return { ok: true, adapter, info };
}

/** What Dawn needed and did not find, per platform. */
function missingDriver(): string {
  if (process.platform === 'darwin') return 'Dawn found no Metal device';
  if (process.platform === 'win32') return 'Dawn found no D3D12 (or Vulkan) device; update the GPU driver';
  if (!vulkanLoaderPresent()) {
    return 'the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt-get install libvulkan1, plus a Vulkan driver: ' +
      "the GPU vendor's, or Mesa's mesa-vulkan-drivers for a software GPU)";
  }
  return 'the Vulkan loader is present but no Vulkan driver offers a usable device (install the GPU vendor\'s Vulkan driver, ' +
    'point VK_DRIVER_FILES at its ICD json, or install Mesa >= 25 mesa-vulkan-drivers for a software GPU; older lavapipe is rejected by Dawn)';
}

function vulkanLoaderPresent(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

/** A device with the adapter's own limits on storage buffers and sizes (the defaults are lower). */
export async function openDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const l = adapter.limits;
  return adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  });
}
