import { refreshTokens, requestLanguage } from './client';
import { ApiError, parseRetryAfter, toProblem } from './problem';
import { tokenStore } from './tokens';

export interface UploadOptions {
  /** Called with 0..100 as the file goes up. */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

interface Sent {
  status: number;
  statusText: string;
  body: unknown;
  retryAfter: string | null;
}

function send(url: string, file: File, token: string | undefined, { onProgress, signal }: UploadOptions): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept-Language', requestLanguage());
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: keep the text for the problem's detail.
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, body, retryAfter: xhr.getResponseHeader('Retry-After') });
    };
    xhr.onerror = () => reject(ApiError.network(new TypeError('The upload failed')));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * POST one file as multipart `file`, reporting progress (fetch cannot), with the session's token;
 * a 401 refreshes the token once and retries. Resolves to the JSON answer or throws an ApiError.
 */
export async function uploadFile<T>(url: string, file: File, options: UploadOptions = {}): Promise<T> {
  let result = await send(url, file, tokenStore.get()?.accessToken, options);
  if (result.status === 401 && tokenStore.get()) {
    const fresh = await refreshTokens();
    if (fresh) {
      options.onProgress?.(0);
      result = await send(url, file, fresh.accessToken, options);
    }
  }
  if (result.status >= 200 && result.status < 300) return result.body as T;
  throw new ApiError('http', toProblem(result.body, result.status, result.statusText), parseRetryAfter(result.retryAfter));
}
