export async function importFolderDataset(_: unknown): Promise<any> { throw new Error("todo"); }
