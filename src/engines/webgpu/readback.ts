/// <reference types="@webgpu/types" />
// Reading a GPU buffer back to the host: the first `floats` floats of `src`, through a staging buffer.
const MAP_READ = 1, COPY_DST = 8;

export async function readFloats(device: GPUDevice, src: GPUBuffer, floats: number): Promise<Float32Array> {
  const st = device.createBuffer({ size: Math.max(16, floats * 4), usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, st, 0, floats * 4);
  device.queue.submit([enc.finish()]);
  await st.mapAsync(1);
  const out = new Float32Array(st.getMappedRange().slice(0, floats * 4));
  st.unmap();
  st.destroy();
  return out;
}
