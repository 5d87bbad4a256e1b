// WebGPU device loss: watch the tfjs webgpu backend's GPUDevice, destroy it on request (a test
// hook), and bring the backend back with a fresh device. Recovery of the run itself (rebuild from
// its last checkpoint) is runsHandler.ts's.
import * as tf from '@tensorflow/tfjs-core';

/** The GPUDevice of the active tfjs backend, when it is webgpu. */
export function activeGpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  return device ?? null;
}

let watched: GPUDevice | null = null;

/**
 * Calls `onLost` once when the active backend's device is lost (a no-op on other backends).
 * Only the device watched last counts: an older one that goes later is ignored.
 */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  const device = activeGpuDevice();
  watched = device;
  if (device === null) return;
  void device.lost.then((info) => {
    if (watched !== device) return;
    watched = null;
    onLost(`WebGPU device lost (${info.reason ?? 'unknown'}): ${info.message || 'no message'}`);
  });
}

/** Test hook: destroys the active device (its `lost` promise then resolves with reason "destroyed"). */
export function loseDevice(): void {
  const device = activeGpuDevice();
  if (device === null) throw new Error(`debugLoseDevice: the active backend is ${tf.getBackend()}, not webgpu`);
  device.destroy();
}

/**
 * Replaces the webgpu backend by a fresh instance (a new adapter and device) and selects it.
 * Tensors of the old backend must be disposed before (their memory went with the device).
 */
export async function reinitWebgpu(): Promise<void> {
  const factory = tf.findBackendFactory('webgpu');
  if (factory === null) throw new Error('the webgpu backend is not registered');
  try {
    tf.removeBackend('webgpu');
  } catch {
    // its dispose may fail on a lost device; the registry entry is gone either way
  }
  tf.registerBackend('webgpu', factory, 3); // 3: the priority tfjs-backend-webgpu registers with
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise again after the device loss');
}
