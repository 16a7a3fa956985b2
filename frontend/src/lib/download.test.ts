import { afterEach, describe, expect, it, vi } from 'vitest';

import { attachmentName, progressPercent, readWithProgress, REVOKE_AFTER_MS, saveBlob } from './download';

describe('downloads', () => {
  it('reads the file name from Content-Disposition, UTF-8 first', () => {
    expect(attachmentName("attachment; filename*=UTF-8''%E7%BB%93%E6%9E%9C.xlsx", 'x.xlsx')).toBe('结果.xlsx');
    expect(attachmentName('attachment; filename="notice.docx"', 'x.docx')).toBe('notice.docx');
    expect(attachmentName(null, 'x.xlsx')).toBe('x.xlsx');
    expect(attachmentName("attachment; filename*=UTF-8''%E0%A4%A", 'x.xlsx')).toBe('x.xlsx');
  });

  it('reports progress chunk by chunk and keeps every byte', async () => {
    const chunks = [new Uint8Array([1, 2]), new Uint8Array([3, 4, 5])];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = new Response(null, { headers: { 'Content-Length': '5', 'Content-Type': 'application/test' } });
    const seen: (number | null)[] = [];
    const blob = await readWithProgress(response, body, (progress) => seen.push(progressPercent(progress)));
    expect(seen).toEqual([0, 40, 100]);
    expect(blob.type).toBe('application/test');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
  });

  it('has no percentage while the size is unknown, and never more than 100', () => {
    expect(progressPercent({ loaded: 10, total: null })).toBeNull();
    expect(progressPercent({ loaded: 12, total: 10 })).toBe(100);
  });

  describe('saving a file', () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it('clicks a detached link to the object URL under the name, then revokes the URL later', () => {
      vi.useFakeTimers();
      const blob = new Blob(['PK'], { type: 'application/octet-stream' });
      URL.createObjectURL = vi.fn(() => 'blob:saved');
      URL.revokeObjectURL = vi.fn();
      const clicked: { href: string; download: string; rel: string; attached: boolean }[] = [];
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push({ href: this.href, download: this.download, rel: this.rel, attached: this.isConnected });
      });

      saveBlob(blob, '结果.xlsx');

      expect(URL.createObjectURL).toHaveBeenCalledWith(blob);
      expect(clicked).toEqual([{ href: 'blob:saved', download: '结果.xlsx', rel: 'noopener', attached: true }]);
      expect(document.querySelector('a[download]')).toBeNull();
      expect(URL.revokeObjectURL).not.toHaveBeenCalled();
      vi.advanceTimersByTime(REVOKE_AFTER_MS);
      expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:saved');
    });

    it('removes the link and still revokes the URL when the click throws', () => {
      vi.useFakeTimers();
      URL.createObjectURL = vi.fn(() => 'blob:failed');
      URL.revokeObjectURL = vi.fn();
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {
        throw new Error('blocked');
      });

      expect(() => saveBlob(new Blob([]), 'x.csv')).toThrow('blocked');

      expect(document.querySelector('a[download]')).toBeNull();
      vi.advanceTimersByTime(REVOKE_AFTER_MS);
      expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:failed');
    });
  });
});
