// Vite's `?url` imports of the tfjs wasm binaries (engine.worker.ts): the emitted file's URL.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
