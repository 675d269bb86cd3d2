import type { FileAccess } from '../../../../functions/sources/file/file-hr-source';

/**
 * Files in memory for the file source, handed out in small chunks so that multi-byte characters and
 * CSV rows straddle chunk boundaries as they do when a large file is streamed.
 */
export function memoryFiles(files: Map<string, Uint8Array | string>, chunkSize = 7): FileAccess {
  const bytesOf = (path: string): Uint8Array => {
    const content = files.get(path);
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  };
  return {
    stat: async (path) => {
      const size = bytesOf(path).length;
      return { size, isFile: () => true };
    },
    chunks: async function* (path) {
      const bytes = bytesOf(path);
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}
