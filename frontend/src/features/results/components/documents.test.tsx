import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { InterviewRead } from '../../../api/types';
import { tokenStore } from '../../../api/tokens';
import { mockApi, problem } from '../../../test/api';
import { renderWithProviders } from '../../../test/render';
import { BulletinButton } from './Bulletin';
import { InterviewTable } from './Interviews';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const BULLETIN_NAME = '汝组通〔2013〕5号-2013年上半年结果通报.docx';

function docx(name: string): Response {
  return new Response(new Uint8Array([80, 75, 3, 4]), {
    headers: { 'Content-Type': DOCX, 'Content-Disposition': `attachment; filename="x.docx"; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
}

let clicked: { href: string; download: string }[];
beforeEach(() => {
  tokenStore.set({ accessToken: 'staff-token', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  clicked = [];
  URL.createObjectURL = vi.fn(() => 'blob:document');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the bulletin button', () => {
  it('waits for published results', () => {
    renderWithProviders(<BulletinButton cycleId={3} published={false} />);
    expect(screen.getByTestId('download-bulletin')).toBeDisabled();
  });

  it('asks the number, downloads the bulletin with it and saves it under the server’s name', async () => {
    const { requests } = mockApi({ 'GET /api/v1/cycles/3/results/bulletin.docx': () => docx(BULLETIN_NAME) });
    renderWithProviders(<BulletinButton cycleId={3} published />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('download-bulletin'));
    const dialog = await screen.findByRole('dialog');
    const number = within(dialog).getByTestId('bulletin-number');
    expect(number).toHaveValue('1');
    await user.clear(number);
    await user.type(number, '5');
    await user.click(within(dialog).getByRole('button', { name: /下\s*载/ }));
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:document', download: BULLETIN_NAME }]));
    const url = new URL(requests[0]!.url);
    expect(url.searchParams.get('number')).toBe('5');
    expect(url.searchParams.has('dated')).toBe(false);
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer staff-token');
    expect(await screen.findByText('下载完成')).toBeInTheDocument();
  });

  it('refuses an empty number before asking the server', async () => {
    const { requests } = mockApi({});
    renderWithProviders(<BulletinButton cycleId={3} published />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('download-bulletin'));
    const dialog = await screen.findByRole('dialog');
    await user.clear(within(dialog).getByTestId('bulletin-number'));
    await user.click(within(dialog).getByRole('button', { name: /下\s*载/ }));
    expect(await within(dialog).findByText('请填写 1 至 9999 之间的整数')).toBeInTheDocument();
    expect(requests).toEqual([]);
  });

  it('says why the server refused, and saves nothing', async () => {
    mockApi({
      'GET /api/v1/cycles/3/results/bulletin.docx': () =>
        problem(409, '状态不允许', { detail: '通报依据已发布的结果，请先发布结果' }),
    });
    renderWithProviders(<BulletinButton cycleId={3} published />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('download-bulletin'));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: /下\s*载/ }));
    expect(await screen.findByTestId('bulletin-error')).toHaveTextContent('通报依据已发布的结果，请先发布结果');
    expect(clicked).toEqual([]);
  });
});

describe('the interview record button', () => {
  it('downloads each interview’s record', async () => {
    const interview: InterviewRead = {
      id: 7,
      cycle_id: 3,
      report_id: 11,
      org_name: '柏树乡',
      held_at: '2013-08-01T02:00:00Z',
      led_by: '组织部部长',
      attendees: '',
      notes: '',
      created_at: '2013-08-01T03:00:00Z',
    };
    const { requests } = mockApi({ 'GET /api/v1/interviews/7/document': () => docx('柏树乡约谈记录-20130801.docx') });
    renderWithProviders(<InterviewTable interviews={[interview]} />);
    await userEvent.setup().click(screen.getByTestId('interview-document-7'));
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:document', download: '柏树乡约谈记录-20130801.docx' }]));
    expect(new URL(requests[0]!.url).pathname).toBe('/api/v1/interviews/7/document');
  });
});
