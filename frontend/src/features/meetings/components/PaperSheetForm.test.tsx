import { configure, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../../../api/tokens';
import { json, mockApi, problem } from '../../../test/api';
import { paperForm } from '../../../test/paper';
import { renderWithProviders } from '../../../test/render';
import { nextSheetNo, PaperSheetForm } from './PaperSheetForm';

configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 60_000 });

beforeEach(() => {
  tokenStore.set({ accessToken: 'clerk', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

async function bodies(requests: Request[]) {
  return Promise.all(requests.filter((r) => r.method === 'POST').map((r) => r.clone().json() as Promise<unknown>));
}

describe('the paper sheet form', () => {
  it('is filled from the keyboard: Enter moves on, keys 1–4 choose a tier, Enter on the last field saves', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({ 'POST /api/v1/meetings/7/paper-ballots': () => json({ entry: 2, stored: 1 }) });
    renderWithProviders(<PaperSheetForm meetingId={7} form={paperForm()} entry={2} />);
    expect(screen.getByText('第二遍录入 · 小店镇党委 · 党员群众')).toBeInTheDocument();
    const sheetNo = screen.getByTestId('paper-sheet-no');
    await user.click(sheetNo);
    await user.keyboard('P009{Enter}');
    expect(screen.getByTestId('paper-item-duty')).toHaveFocus();
    await user.keyboard('18.5{Enter}');
    expect(screen.getByTestId('paper-item-overall')).toHaveFocus();
    await user.keyboard('2');
    expect(screen.getByRole('radio', { name: /较好/ })).toBeChecked();
    expect(screen.getByTestId('paper-comment')).toHaveFocus();
    await user.keyboard('多下基层{Enter}');
    await waitFor(async () =>
      expect(await bodies(requests)).toEqual([
        {
          entry: 2,
          sheets: [
            {
              sheet_no: 'P009',
              report_id: 11,
              group_key: 'members',
              items: { duty: 18.5, overall: 'fairly_good' },
              comment: '多下基层',
              comment_category: null,
            },
          ],
        },
      ]),
    );
    expect(await screen.findByText('第 P009 号票已保存（第二遍录入）')).toBeInTheDocument();
    // Ready for the next sheet: its number counted up, the items cleared, the number focused.
    await waitFor(() => expect(screen.getByTestId('paper-sheet-no')).toHaveFocus());
    expect(screen.getByTestId('paper-sheet-no')).toHaveValue('P010');
    expect(screen.getByTestId('paper-item-duty')).toHaveValue('');
    expect(screen.getByTestId('paper-recent')).toHaveTextContent('18.5 · 较好');
  });

  it('refuses a score out of range or a missing tier before sending, and says which', async () => {
    const user = userEvent.setup();
    const { requests } = mockApi({});
    renderWithProviders(<PaperSheetForm meetingId={7} form={paperForm()} entry={1} />);
    await user.type(screen.getByTestId('paper-sheet-no'), 'P1');
    await user.type(screen.getByTestId('paper-item-duty'), '25');
    await user.click(screen.getByTestId('paper-save'));
    expect(await screen.findByText('履行主体责任的分数应为 0～20 之间的数，最多两位小数')).toBeInTheDocument();
    expect(screen.getByText('请选择总体评价的等次')).toBeInTheDocument();
    expect(screen.getByTestId('paper-item-duty')).toHaveFocus();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it("shows the server's refusal in the reader's language and keeps what was typed", async () => {
    const user = userEvent.setup();
    mockApi({
      'POST /api/v1/meetings/7/paper-ballots': () =>
        problem(409, '冲突', { code: 'conflict', detail: '第 P1 号测评票：您已在第 1 次录入中录过，二次录入须由另一名工作人员完成' }),
    });
    renderWithProviders(<PaperSheetForm meetingId={7} form={paperForm()} entry={2} />);
    await user.type(screen.getByTestId('paper-sheet-no'), 'P1');
    await user.type(screen.getByTestId('paper-item-duty'), '20');
    screen.getByTestId('paper-item-overall').focus();
    await user.keyboard('1');
    await user.click(screen.getByTestId('paper-save'));
    expect(await screen.findByTestId('paper-save-error')).toHaveTextContent('二次录入须由另一名工作人员完成');
    expect(screen.getByTestId('paper-sheet-no')).toHaveValue('P1');
    expect(screen.getByTestId('paper-item-duty')).toHaveValue('20');
  });

  it('asks for the report and the group first when the meeting has several', () => {
    mockApi({});
    const form = paperForm({
      groups: [
        { key: 'members', name: '党员群众' },
        { key: 'deputies', name: '党代表' },
      ],
    });
    renderWithProviders(<PaperSheetForm meetingId={7} form={form} entry={1} />);
    expect(screen.getByText('请先选定述职报告和评议组')).toBeInTheDocument();
    expect(screen.queryByTestId('paper-sheet-no')).not.toBeInTheDocument();
  });

  it('counts sheet numbers up with their padding', () => {
    expect(nextSheetNo('P009')).toBe('P010');
    expect(nextSheetNo('12')).toBe('13');
    expect(nextSheetNo('A-99')).toBe('A-100');
    expect(nextSheetNo('甲')).toBe('甲');
  });
});
