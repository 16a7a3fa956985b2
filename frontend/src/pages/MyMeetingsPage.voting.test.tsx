import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import MyMeetingsPage from './MyMeetingsPage';

const meeting = (meeting_id: number, meeting_title: string, status: 'scheduled' | 'live' | 'ended') => ({
  meeting_id,
  meeting_title,
  status,
  group_key: 'leaders',
  group_name: '上级领导',
});

describe('MyMeetingsPage voting', () => {
  it('offers the ballot only for a live meeting, and says why not for the others', async () => {
    mockApi({
      'GET /api/v1/vote/meetings': () =>
        json([meeting(1, '乡镇述职评议大会', 'live'), meeting(2, '村支书述职评议大会', 'scheduled'), meeting(3, '上半年述职评议大会', 'ended')]),
    });
    renderWithProviders(<MyMeetingsPage />);
    const row = async (title: string) => (await screen.findByText(title)).closest('tr') as HTMLElement;
    expect(within(await row('乡镇述职评议大会')).getByRole('link', { name: /进入投票/ })).toHaveAttribute('href', '/vote/meeting/1');
    const scheduled = await row('村支书述职评议大会');
    expect(within(scheduled).queryByRole('link', { name: /进入投票/ })).toBeNull();
    expect(within(scheduled).getByText('会议开始后可投票')).toBeInTheDocument();
    const ended = await row('上半年述职评议大会');
    expect(within(ended).queryByRole('link', { name: /进入投票/ })).toBeNull();
    expect(within(ended).getByText('会议已结束')).toBeInTheDocument();
  });
});
