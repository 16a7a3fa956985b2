import { act, screen } from '@testing-library/react';
import { Empty, Pagination } from 'antd';
import { describe, expect, it } from 'vitest';

import { setLanguage } from '../i18n';
import { renderWithProviders } from '../test/render';

describe('AppProviders', () => {
  it("switches Ant Design's own texts with the UI language", async () => {
    renderWithProviders(
      <>
        <Empty />
        <Pagination total={100} showSizeChanger />
      </>,
    );
    expect(screen.getByText('暂无数据', { selector: '.ant-empty-description' })).toBeInTheDocument();
    expect(screen.getByText('10 条/页')).toBeInTheDocument();
    await act(() => setLanguage('en-US'));
    expect(screen.getByText('No data', { selector: '.ant-empty-description' })).toBeInTheDocument();
    expect(screen.getByText('10 / page')).toBeInTheDocument();
  });
});
