// The WebGPU adapter's name (vendor, architecture), read on the page when the engine's backend is
// webgpu: the worker picks its own adapter the same way (default request), so this names it.
import { useEffect, useState } from 'react';

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
}
interface GpuLike {
  requestAdapter: () => Promise<{ info?: AdapterInfoLike } | null>;
}

export function useAdapterName(backend: string | null): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (backend !== 'webgpu') return;
    const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
    if (!gpu) return;
    let live = true;
    gpu.requestAdapter().then(
      (a) => {
        const i = a?.info;
        const text = [i?.vendor, i?.architecture].filter((x) => x !== undefined && x !== '').join(' ') || i?.description || '';
        if (live && text !== '') setName(text);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [backend]);
  return name;
}
