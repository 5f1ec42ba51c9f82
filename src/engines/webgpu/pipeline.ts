/// <reference types="@webgpu/types" />
// A compute step of a trainer: its WGSL (entry point `main`) compiled into a pipeline, and the bind group it runs
// with: binding 0 a per-step uniform record of `uniformBytes` selected by a dynamic offset, then the storage
// buffers in order, read-only or read-write.
const COMPUTE = 4;

export type Access = 'read' | 'rw';

export function computeStep(device: GPUDevice, code: string, uniform: GPUBuffer, uniformBytes: number, bufs: [GPUBuffer, Access][]): { pipe: GPUComputePipeline; group: GPUBindGroup } {
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: uniformBytes } },
      ...bufs.map(([, access], j) => ({ binding: j + 1, visibility: COMPUTE, buffer: { type: access === 'read' ? 'read-only-storage' as const : 'storage' as const } })),
    ],
  });
  const pipe = device.createComputePipeline({ layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const group = device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: uniform, size: uniformBytes } }, ...bufs.map(([buffer], j) => ({ binding: j + 1, resource: { buffer } }))] });
  return { pipe, group };
}
