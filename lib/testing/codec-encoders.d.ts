// Types for the encoder builds of the Cornerstone codecs, which only tests use (to write compressed DICOM frames).
declare module "@cornerstonejs/codec-charls/wasmjs" {
  interface JpegLSEncoder {
    getDecodedBuffer(info: {
      width: number;
      height: number;
      bitsPerSample: number;
      componentCount: number;
      isSigned: boolean;
    }): Uint8Array;
    setNearLossless(value: number): void;
    setInterleaveMode(mode: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  }
  const factory: () => Promise<{ JpegLSEncoder: new () => JpegLSEncoder }>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/wasmjs" {
  interface J2KEncoder {
    getDecodedBuffer(info: {
      width: number;
      height: number;
      bitsPerSample: number;
      componentCount: number;
      isSigned: boolean;
    }): Uint8Array;
    setDecompositions(levels: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  }
  const factory: () => Promise<{ J2KEncoder: new () => J2KEncoder }>;
  export default factory;
}
