// Is the GPU behind WebGPU / WebGL a software rasteriser (SwiftShader, llvmpipe, "Software")? Such
// an adapter trains far slower than the wasm backend, so the worker ranks it below wasm. Pure
// string / record checks; the worker feeds them what the browser reports.

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|lavapipe|microsoft basic render/i;

/** Why a renderer / adapter description is software, or null when it looks like hardware. */
export function softwareRenderer(description: string): string | null {
  const m = SOFTWARE.exec(description);
  return m ? `software renderer "${description.trim()}"` : null;
}

/** The subset of GPUAdapter / GPUAdapterInfo that tells a fallback (software) adapter. */
export interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; device?: string; description?: string };
}

/** Why a WebGPU adapter is software, or null. */
export function softwareAdapter(a: AdapterLike): string | null {
  if (a.info?.isFallbackAdapter === true || a.isFallbackAdapter === true) return 'fallback (software) WebGPU adapter';
  const i = a.info;
  if (!i) return null;
  return softwareRenderer([i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' '));
}
