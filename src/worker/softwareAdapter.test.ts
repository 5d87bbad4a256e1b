import { describe, expect, it } from 'vitest';
import { softwareAdapter, softwareRenderer } from './softwareAdapter.ts';

describe('software GPU detection', () => {
  it('names SwiftShader, llvmpipe and "Software" renderers; hardware ones pass', () => {
    expect(softwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toMatch(/software renderer/);
    expect(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toMatch(/llvmpipe/);
    expect(softwareRenderer('Google SwiftShader')).not.toBeNull();
    expect(softwareRenderer('Microsoft Basic Render Driver')).not.toBeNull();
    expect(softwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeNull();
    expect(softwareRenderer('')).toBeNull();
  });
  it('WebGPU: isFallbackAdapter (on the adapter or its info) or a SwiftShader architecture', () => {
    expect(softwareAdapter({ info: { isFallbackAdapter: true } })).toMatch(/fallback/);
    expect(softwareAdapter({ isFallbackAdapter: true })).toMatch(/fallback/);
    expect(softwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).toMatch(/swiftshader/);
    expect(softwareAdapter({ info: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false } })).toBeNull();
    expect(softwareAdapter({})).toBeNull();
  });
});
