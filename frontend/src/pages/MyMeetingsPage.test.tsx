import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import MyMeetingsPage from './MyMeetingsPage';

describe('MyMeetingsPage', () => {
  it('names the evaluator’s group, not its key', async () => {
    mockApi({
      'GET /api/v1/vote/meetings': () =>
        json([{ meeting_id: 7, meeting_title: '县委述职评议大会', status: 'live', group_key: 'deputies', group_name: '两代表一委员' }]),
    });
    renderWithProviders(<MyMeetingsPage />);
    const row = (await screen.findByText('县委述职评议大会')).closest('tr') as HTMLElement;
    expect(within(row).getByText('两代表一委员')).toBeInTheDocument();
    expect(screen.getByTestId('my-meetings')).not.toHaveTextContent('deputies');
  });
});
