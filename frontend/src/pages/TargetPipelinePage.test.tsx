import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { ProgrammeRead, ProjectRead, UserRead } from '../api/types';
import { ADMIN, json, mockApi, org, page } from '../test/api';
import { renderWithProviders } from '../test/render';
import { CHENGGUAN, COUNTY, programme, project, XIAODIAN } from '../test/targets';
import TargetPipelinePage from './TargetPipelinePage';

// Pages and their data load slowly on a loaded machine.
const WAIT = { timeout: 10_000 };

const SECRETARY: UserRead = { ...ADMIN, id: 7, username: 's410326104', full_name: '张书记', role: 'secretary', org_id: XIAODIAN.id, org_name: XIAODIAN.name };

function signedInAs(user: UserRead, shown: ProgrammeRead, projects: ProjectRead[], ownParent = COUNTY.id) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  return mockApi({
    'GET /api/v1/auth/me': () => json(user),
    'GET /api/v1/targets/programmes': () => json([shown]),
    'GET /api/v1/targets/programmes/3/projects': () => json(projects),
    'GET /api/v1/targets/programmes/3/teams': () => json([{ id: 5, programme_id: 3, name: '轴承产业链招商攻坚小组', leader_name: '李区长', industries: ['轴承'], members: [XIAODIAN] }]),
    'GET /api/v1/orgs': () => json(page([org({ ...CHENGGUAN, parent_id: COUNTY.id }), org({ ...XIAODIAN, parent_id: COUNTY.id })])),
    [`GET /api/v1/orgs/${XIAODIAN.id}`]: () => json(org({ ...XIAODIAN, parent_id: ownParent })),
  });
}

describe('the pipeline page', { timeout: 45_000 }, () => {
  it('shows a secretary their unit’s projects on the board and lets them register and move their own', async () => {
    signedInAs(SECRETARY, programme({ may_manage: false }), [
      project({ id: 1, ranking: 'global_500', contract_amount: '5000.00', team_id: 5 }),
      project({ id: 2, company: '中信重工', stage: 'landed' }),
    ]);
    renderWithProviders(<TargetPipelinePage />, { route: '/targets/pipeline?programme=3' });
    const card = await screen.findByText('洛阳轴研科技', {}, WAIT);
    const board = screen.getByTestId('project-board');
    expect(within(screen.getByTestId('board-negotiating')).getByText('洛阳轴研科技')).toBeInTheDocument();
    expect(within(screen.getByTestId('board-landed')).getByText('中信重工')).toBeInTheDocument();
    expect(within(board).getByText('世界500强')).toBeInTheDocument();
    expect(within(board).getByText('5000 万元')).toBeInTheDocument();
    expect(within(board).getByText('小店镇 · 轴承产业链招商攻坚小组')).toBeInTheDocument();
    expect(card).toBeInTheDocument();
    expect(await screen.findByText('你只能看到和登记本单位的项目。', {}, WAIT)).toBeInTheDocument();
    expect(screen.getByTestId('project-create')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /推进阶段/ })).toHaveLength(2);
  });

  it('offers no registration to a secretary whose unit is not one of the programme’s, and no moves once it is closed', async () => {
    signedInAs(SECRETARY, programme({ may_manage: false }), [], 999);
    const { unmount } = renderWithProviders(<TargetPipelinePage />, { route: '/targets/pipeline?programme=3' });
    expect(await screen.findByText('你所在的单位不是本方案的责任单位，不能登记项目。', {}, WAIT)).toBeInTheDocument();
    expect(screen.queryByTestId('project-create')).not.toBeInTheDocument();
    unmount();

    signedInAs(SECRETARY, programme({ may_manage: false, status: 'closed' }), [project()]);
    renderWithProviders(<TargetPipelinePage />, { route: '/targets/pipeline?programme=3' });
    expect(await screen.findByText('本方案已结束，项目不能再登记或推进。', {}, WAIT)).toBeInTheDocument();
    await screen.findByText('洛阳轴研科技', {}, WAIT);
    expect(screen.queryByRole('button', { name: /推进阶段/ })).not.toBeInTheDocument();
    expect(screen.queryByTestId('project-create')).not.toBeInTheDocument();
  });

  it('lists the projects with filters and opens one with its history', async () => {
    signedInAs(ADMIN, programme(), [
      project({ id: 1 }),
      project({ id: 2, org: CHENGGUAN, company: '中信重工', stage: 'landed', industry: '装备制造' }),
    ]);
    const user = userEvent.setup();
    renderWithProviders(<TargetPipelinePage />, { route: '/targets/pipeline?programme=3&view=list' });
    const table = await screen.findByTestId('project-table', {}, WAIT);
    expect(await within(table).findByText('中信重工', {}, WAIT)).toBeInTheDocument();
    expect(screen.getByTestId('pipeline-count')).toHaveTextContent('共 2 个项目');
    await user.type(screen.getByLabelText('按企业名称或来源地筛选'), '中信');
    expect(screen.getByTestId('pipeline-count')).toHaveTextContent('共 1 个项目');
    await user.click(within(table).getByRole('button', { name: '中信重工' }));
    const detail = await screen.findByTestId('project-detail', {}, WAIT);
    expect(within(detail).getByTestId('project-timeline')).toHaveTextContent('登记（洽谈）');
    expect(within(detail).getByText('城关镇')).toBeInTheDocument();
  });
});
