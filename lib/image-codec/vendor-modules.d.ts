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
