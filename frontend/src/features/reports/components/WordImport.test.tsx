import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import type { ReportDocumentRead, UserRead } from '../../../api/types';
import ReportPage from '../../../pages/ReportPage';
import { ADMIN, json, mockApi } from '../../../test/api';
import { report } from '../../../test/fixtures';
import { renderRoutes } from '../../../test/render';
import { documentProblem } from './WordImport';

const upload = vi.hoisted(() => vi.fn());
vi.mock('../../../api/upload', () => ({ uploadFile: upload }));

const SECRETARY: UserRead = { ...ADMIN, id: 3, username: 'xd', full_name: '小店镇书记', role: 'secretary', org_id: 5 };
const BODY = '# 小店镇党委书记述职报告\n\n## 一、主要工作\n\n- 整顿软弱涣散村\n\n| 村 | 党员数 |\n| --- | --- |\n| 耿沟村 | 86 |\n';
const ORIGINAL = {
  id: 9,
  filename: '述职报告.docx',
  content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  size_bytes: 20480,
  sha256: 'a'.repeat(64),
  created_at: '2024-01-02T00:00:00Z',
};

function openDraft(body: string) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  mockApi({
    'GET /api/v1/auth/me': () => json(SECRETARY),
    'GET /api/v1/reports/44': () => json(report({ body })),
  });
  const rendered = renderRoutes([{ path: '/reports/:reportId', element: <ReportPage /> }], '/reports/44');
  const input = () => rendered.container.querySelector('[data-testid="word-import"] input[type="file"]') as HTMLInputElement;
  return { ...rendered, input };
}

const docx = () => new File(['PK\u0003\u0004'], '述职报告.docx');

describe('documentProblem', () => {
  it('takes .docx only, tells an old .doc apart, and keeps to the size limit', () => {
    expect(documentProblem({ name: '述职报告.DOCX', size: 1024 })).toBeNull();
    expect(documentProblem({ name: '述职报告.doc', size: 1024 })).toBe('old');
    expect(documentProblem({ name: '述职报告.wps', size: 1024 })).toBe('old');
    expect(documentProblem({ name: '述职报告.pdf', size: 1024 })).toBe('type');
    expect(documentProblem({ name: 'docx', size: 1024 })).toBe('type');
    expect(documentProblem({ name: 'big.docx', size: 51 * 1024 * 1024 })).toBe('size');
  });
});

// antd renders slowly on a loaded machine: allow these more time than the default.
describe('从 Word 导入', { timeout: 45_000 }, () => {
  it('replaces a written text after a confirmation, shows it rendered and the original among the attachments', async () => {
    upload.mockReset();
    const { input } = openDraft('旧的正文');
    const user = userEvent.setup({ applyAccept: false });
    expect(await screen.findByRole('button', { name: /从 Word 导入/ }, { timeout: 10_000 })).toBeInTheDocument();
    const answer: ReportDocumentRead = {
      report: report({ body: BODY, attachments: [ORIGINAL], attachment_count: 1, updated_at: '2024-01-02T00:00:00Z' }),
      original: ORIGINAL,
      images_left_out: 2,
    };
    upload.mockResolvedValue(answer);

    await user.upload(input(), docx());
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('当前正文将被“述职报告.docx”的内容替换');
    expect(upload).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: '替换正文' }));

    await waitFor(() => expect(upload).toHaveBeenCalledWith('/api/v1/reports/44/document', expect.any(File), expect.anything()));
    expect(await screen.findByTestId('word-imported')).toHaveTextContent('已从“述职报告.docx”导入正文并保存');
    expect(screen.getByTestId('word-imported')).toHaveTextContent('文档中的 2 张图片未导入正文');
    // The preview shows the converted text rendered: headings, the list, the table.
    expect(await screen.findByRole('heading', { name: '一、主要工作' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '耿沟村' })).toBeInTheDocument();
    expect(within(screen.getByTestId('attachments')).getByText('述职报告.docx')).toBeInTheDocument();
  });

  it('imports into an empty text without asking', async () => {
    upload.mockReset();
    const { input } = openDraft('');
    const user = userEvent.setup({ applyAccept: false });
    await screen.findByRole('button', { name: /从 Word 导入/ }, { timeout: 10_000 });
    upload.mockResolvedValue({ report: report({ body: BODY, updated_at: '2024-01-03T00:00:00Z' }), original: ORIGINAL, images_left_out: 0 });
    await user.upload(input(), docx());
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByTestId('word-imported')).not.toHaveTextContent('图片');
  });

  it('refuses an old .doc before sending, saying to save it as .docx', async () => {
    upload.mockReset();
    const { input } = openDraft('');
    const user = userEvent.setup({ applyAccept: false });
    await screen.findByRole('button', { name: /从 Word 导入/ }, { timeout: 10_000 });
    await user.upload(input(), new File(['\u00d0\u00cf'], '旧报告.doc'));
    expect(await screen.findByText(/请另存为 \.docx 后上传/)).toBeInTheDocument();
    expect(upload).not.toHaveBeenCalled();
  });

  it('says why the server refused the file, and keeps the text', async () => {
    upload.mockReset();
    const { input } = openDraft('');
    const user = userEvent.setup({ applyAccept: false });
    await screen.findByRole('button', { name: /从 Word 导入/ }, { timeout: 10_000 });
    const { ApiError } = await import('../../../api/problem');
    upload.mockRejectedValue(
      new ApiError('http', {
        type: 'about:blank',
        title: '不支持的文件类型',
        status: 415,
        detail: '坏.docx 无法作为 Word 文档读取，请用 Word 打开后重新保存再上传',
      }),
    );
    await user.upload(input(), new File(['PK'], '坏.docx'));
    expect(await screen.findByText(/坏\.docx 无法作为 Word 文档读取/)).toBeInTheDocument();
    expect(screen.queryByTestId('word-imported')).not.toBeInTheDocument();
  });
});
