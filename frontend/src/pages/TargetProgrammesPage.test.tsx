import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { tokenStore } from '../api/tokens';
import type { OrgKind, UserRead } from '../api/types';
import { ADMIN, json, mockApi, org } from '../test/api';
import { renderWithProviders } from '../test/render';
import { programme } from '../test/targets';
import TargetProgrammesPage from './TargetProgrammesPage';

const WAIT = { timeout: 10_000 };

function signedInAs(user: UserRead, kind: OrgKind) {
  tokenStore.set({ accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
  mockApi({
    'GET /api/v1/auth/me': () => json(user),
    'GET /api/v1/targets/programmes': () => json([programme()]),
    [`GET /api/v1/orgs/${user.org_id}`]: () => json(org({ id: user.org_id, kind })),
  });
}

describe('the programmes page', { timeout: 45_000 }, () => {
  it('lists the programmes and lets the county department’s clerk make one', async () => {
    signedInAs({ ...ADMIN, role: 'clerk', org_id: 9 }, 'department');
    renderWithProviders(<TargetProgrammesPage />);
    expect(await screen.findByRole('link', { name: '2013年招商引资目标责任' }, WAIT)).toHaveAttribute('href', '/targets/programmes/3');
    expect(await screen.findByTestId('programme-create', {}, WAIT)).toBeInTheDocument();
  });

  it('offers a township’s clerk no new programme: a township hosts none of a county’s', async () => {
    signedInAs({ ...ADMIN, role: 'clerk', org_id: 12 }, 'township');
    renderWithProviders(<TargetProgrammesPage />);
    await screen.findByRole('link', { name: '2013年招商引资目标责任' }, WAIT);
    expect(screen.queryByTestId('programme-create')).not.toBeInTheDocument();
  });
});
