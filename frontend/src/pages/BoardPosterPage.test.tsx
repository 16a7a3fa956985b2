import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { BoardLinks } from '../features/ledger/components/BoardLinks';
import { renderWithProviders } from '../test/render';
import BoardPosterPage from './BoardPosterPage';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the public board', () => {
  it('opens in a new tab, with the poster for staff only', () => {
    const { unmount } = renderWithProviders(<BoardLinks poster />);
    const link = screen.getByTestId('board-link');
    expect(link).toHaveAttribute('href', '/board');
    expect(link).toHaveAttribute('target', '_blank');
    expect(screen.getByTestId('board-poster-link')).toHaveTextContent('公示栏二维码海报');
    unmount();
    renderWithProviders(<BoardLinks poster={false} />);
    expect(screen.queryByTestId('board-poster-link')).not.toBeInTheDocument();
  });

  it('prints a poster whose QR code holds the board’s absolute address', async () => {
    renderWithProviders(<BoardPosterPage />);
    expect(screen.getByTestId('board-poster-title')).toHaveTextContent('述职评议意见整改进度公示');
    const qr = await screen.findByTestId('board-qr');
    expect(qr).toHaveAttribute('data-url', `${window.location.origin}/board`);
    expect(qr.querySelector('svg')).not.toBeNull();
    expect(screen.getByText('扫一扫，查看各单位整改进度')).toBeInTheDocument();
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    await userEvent.setup().click(screen.getByTestId('print-poster'));
    expect(print).toHaveBeenCalledOnce();
  });
});
