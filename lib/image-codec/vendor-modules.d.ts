// Types for the parts of two untyped packages that Focus calls (dcmjs ships none; jpeg-lossless-decoder-js names a
// declaration file it does not ship).

declare module "dcmjs" {
  interface DicomElement {
    vr: string;
    Value?: unknown[];
  }
  type DicomElements = Record<string, DicomElement>;
  interface DicomDict {
    meta: DicomElements;
    dict: DicomElements;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string }): DicomDict;
      };
      DicomDict: new (meta: DicomElements) => DicomDict;
      DicomMetaDictionary: {
        denaturalizeDataset(dataset: Record<string, unknown>): DicomElements;
        naturalizeDataset(dict: DicomElements): Record<string, unknown>;
      };
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}

declare module "jpeg-lossless-decoder-js" {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}

// The Cornerstone codec builds are Emscripten factories (CommonJS, no declarations). Only the decoders' calls
// that dicom-codecs.ts makes are typed.
declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  interface JpegLSDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getFrameInfo(): FrameInfo;
    getInterleaveMode(): number;
    getDecodedBuffer(): Uint8Array;
    delete(): void;
  }
  const factory: (options: object) => Promise<{ JpegLSDecoder: new () => JpegLSDecoder }>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  interface J2KDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getFrameInfo(): FrameInfo;
    getDecodedBuffer(): Uint8Array;
    delete(): void;
  }
  const factory: (options: object) => Promise<{ J2KDecoder: new () => J2KDecoder }>;
  export default factory;
}
