/** File downloads through the typed client: the session's header, never a token in a URL. */

export interface DownloadProgress {
  /** Bytes received so far. */
  loaded: number;
  /** Bytes expected (Content-Length), or null when the server did not say. */
  total: number | null;
}

/** Read a response body to a Blob, reporting progress after every chunk. */
export async function readWithProgress(
  response: Response,
  body: ReadableStream<Uint8Array> | null,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Blob> {
  const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
  const length = Number(response.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!body) return new Blob([], { type });
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  onProgress?.({ loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Copy into a buffer of our own so the Blob never aliases the stream's memory.
    chunks.push(new Uint8Array(value));
    loaded += value.byteLength;
    onProgress?.({ loaded, total });
  }
  return new Blob(chunks, { type });
}

/** The file name a Content-Disposition header offers (RFC 6266 `filename*` first), or the fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/** How long an object URL outlives its click: some browsers start the download asynchronously. */
export const REVOKE_AFTER_MS = 10_000;

/**
 * Hand a downloaded file to the browser under a name — the one way every download in the SPA is saved.
 * Pair it with `attachmentName` when the server names the file in its Content-Disposition.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoke later, not at once, or the browser may find the URL gone before it reads the file.
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}

/** A share of 0..100 for a progress bar, or null while the size is unknown. */
export function progressPercent({ loaded, total }: DownloadProgress): number | null {
  if (total === null) return null;
  return Math.min(100, Math.floor((loaded / total) * 100));
}
