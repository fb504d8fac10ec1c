// The few WebAssembly JS API members the hash module uses. TypeScript declares them only in the DOM
// library, which this project leaves out so that browser globals cannot creep into Node code.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
