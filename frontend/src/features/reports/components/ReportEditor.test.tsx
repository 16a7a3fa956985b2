import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { json, mockApi } from '../../../test/api';
import { report } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { fileProblem } from './Attachments';
import { ReportEditor } from './ReportEditor';

const upload = vi.hoisted(() => vi.fn());
vi.mock('../../../api/upload', () => ({ uploadFile: upload }));

describe('fileProblem', () => {
  it('checks type and size before sending', () => {
    expect(fileProblem({ name: '汇报.PDF', size: 1024 })).toBeNull();
    expect(fileProblem({ name: 'slides.pptx', size: 49 * 1024 * 1024 })).toBeNull();
    expect(fileProblem({ name: 'photo.jpg', size: 11 * 1024 * 1024 })).toEqual({ key: 'size', limit: 10 });
    expect(fileProblem({ name: 'setup.exe', size: 10 })).toEqual({ key: 'type' });
    expect(fileProblem({ name: 'noext', size: 10 })).toEqual({ key: 'type' });
  });
});

// antd forms render slowly on a loaded machine: allow these more time than the default.
describe('ReportEditor', { timeout: 45_000 }, () => {
  it('saves the text and submits it', async () => {
    const { requests } = mockApi({
      'PATCH /api/v1/reports/44': async (request) => json(report({ ...(await request.json()) })),
      'POST /api/v1/reports/44/submit': () => json(report({ status: 'submitted', can_edit: false })),
    });
    const user = userEvent.setup();
    renderWithProviders(<ReportEditor report={report()} />);
    fireEvent.change(screen.getByRole('textbox', { name: '正文' }), { target: { value: '## 一、工作情况' } });
    fireEvent.change(screen.getByLabelText('视频链接'), { target: { value: 'https://video.example.cn/xd.mp4' } });
    await user.click(screen.getByTestId('submit-report'));
    await user.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(await patch?.json()).toEqual({
      title: '小店镇党委书记抓基层党建工作述职报告',
      body: '## 一、工作情况',
      video_url: 'https://video.example.cn/xd.mp4',
    });
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'PATCH /api/v1/reports/44',
      'POST /api/v1/reports/44/submit',
    ]);
  });

  it('refuses a video link that is not http(s)', async () => {
    const { requests } = mockApi({});
    const user = userEvent.setup();
    renderWithProviders(<ReportEditor report={report()} />);
    fireEvent.change(screen.getByLabelText('视频链接'), { target: { value: 'javascript:alert(1)' } });
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('请输入以 http:// 或 https:// 开头的链接')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('shows the host’s comment on a returned report', () => {
    mockApi({});
    renderWithProviders(<ReportEditor report={report({ status: 'returned', review_comment: '请补充整改措施' })} />);
    expect(screen.getByText('请补充整改措施')).toBeInTheDocument();
  });

  it('shows a submitted report read-only, rendered from Markdown', () => {
    mockApi({});
    renderWithProviders(
      <ReportEditor report={report({ status: 'submitted', can_edit: false, body: '## 成效\n\n- **整顿**软弱涣散村' })} />,
    );
    expect(screen.getByTestId('report-view')).toBeInTheDocument();
    expect(screen.getByText('整顿').tagName).toBe('STRONG');
    expect(screen.getByText('报告已提交，等待组织部审核。')).toBeInTheDocument();
    expect(screen.queryByTestId('submit-report')).not.toBeInTheDocument();
  });

  it('uploads an attachment with progress and refuses a wrong type before sending', async () => {
    mockApi({ 'GET /api/v1/reports/44': () => json(report()) });
    let progress: ((p: number) => void) | undefined;
    upload.mockImplementation(
      (_url: string, _file: File, options: { onProgress?: (p: number) => void }) =>
        new Promise(() => {
          progress = options.onProgress;
        }),
    );
    const user = userEvent.setup({ applyAccept: false });
    const { container } = renderWithProviders(<ReportEditor report={report()} />);
    // rc-upload replaces its input after each choice, so look it up each time.
    const input = () => container.querySelector('[data-testid="attachments"] input[type="file"]') as HTMLInputElement;
    await user.upload(input(), new File(['MZ'], 'setup.exe'));
    expect(await screen.findByText('只能上传 PDF、PPTX 幻灯片或 PNG、JPEG、WebP 图片')).toBeInTheDocument();
    expect(upload).not.toHaveBeenCalled();
    await user.upload(input(), new File(['%PDF-1.4'], '述职材料.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(upload).toHaveBeenCalledWith('/api/v1/reports/44/attachments', expect.any(File), expect.anything()));
    progress?.(60);
    expect(await screen.findByTestId('attachment-progress')).toHaveTextContent('60%');
  });
});
