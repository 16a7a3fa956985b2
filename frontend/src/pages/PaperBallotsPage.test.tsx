import { configure, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { tokenStore } from '../api/tokens';
import { json, mockApi, problem } from '../test/api';
import { paperForm } from '../test/paper';
import { renderWithProviders } from '../test/render';
import PaperBallotsPage, { likelyEntry } from './PaperBallotsPage';

configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 60_000 });

beforeEach(() => {
  tokenStore.set({ accessToken: 'clerk', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
});

function renderPage() {
  return renderWithProviders(
    <Routes>
      <Route path="/meetings/:meetingId/paper" element={<PaperBallotsPage />} />
    </Routes>,
    { route: '/meetings/7/paper' },
  );
}

describe('the paper ballots page', () => {
  it('picks the entry a clerk most likely makes', () => {
    expect(likelyEntry(paperForm())).toBe(1);
    expect(likelyEntry(paperForm({ entered: { '1': 4, '2': 0 } }))).toBe(2);
    expect(likelyEntry(paperForm({ entered: { '1': 4, '2': 0 }, entered_by_me: { '1': 4, '2': 0 } }))).toBe(1);
    expect(likelyEntry(paperForm({ entered: { '1': 4, '2': 1 }, entered_by_me: { '1': 0, '2': 1 } }))).toBe(2);
  });

  it('says which entry the clerk is making, and how many sheets each entry holds', async () => {
    mockApi({ 'GET /api/v1/meetings/7/paper-ballots/form': () => json(paperForm({ entered: { '1': 4, '2': 0 } })) });
    renderPage();
    expect(await screen.findByTestId('paper-doing')).toHaveTextContent('您正在进行第二遍录入');
    expect(screen.getByTestId('paper-entered')).toHaveTextContent('第一遍已录 4 张（其中本人 0 张），第二遍已录 0 张（其中本人 0 张）');
    expect(screen.getByText('2026 年度述职评议大会 · 纸质选票')).toBeInTheDocument();
    expect(screen.getByTestId('paper-sheet-form')).toBeInTheDocument();
  });

  it('warns that sheets wait for the meeting to start', async () => {
    mockApi({ 'GET /api/v1/meetings/7/paper-ballots/form': () => json(paperForm({ status: 'scheduled' })) });
    renderPage();
    expect(await screen.findByText('会议开始后才能录入纸质选票')).toBeInTheDocument();
  });

  it('shows a refusal plainly', async () => {
    mockApi({ 'GET /api/v1/meetings/7/paper-ballots/form': () => problem(403, '无权执行此操作', { code: 'forbidden', detail: '只有管理员和主办单位的工作人员可以管理本评议周期' }) });
    renderPage();
    expect(await screen.findByText('只有管理员和主办单位的工作人员可以管理本评议周期')).toBeInTheDocument();
  });
});
