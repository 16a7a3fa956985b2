import {
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CommentOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FileWordOutlined,
  FundProjectionScreenOutlined,
  HomeOutlined,
  LineChartOutlined,
  NotificationOutlined,
  ProfileOutlined,
  RiseOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  SyncOutlined,
  TeamOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

import type { Role } from '../api/types';
import type targetsZhCN from '../i18n/targets.zh-CN.json';
import type zhCN from '../i18n/zh-CN.json';

/** A heading the menu gathers related entries under (目标督查). */
export type NavGroup = keyof typeof targetsZhCN.navGroups;

export interface NavItem {
  key: Exclude<keyof typeof zhCN.nav, 'menu'>;
  path: string;
  icon: ReactNode;
  /** Roles that see the item; everyone when absent. */
  roles?: readonly Role[];
  /** Other addresses that belong to the item (e.g. a cycle's results under 综合评价). */
  alsoMatches?: RegExp;
  /** The heading the item sits under; items of a group are listed together. */
  group?: NavGroup;
}

const RESULT_READERS: readonly Role[] = ['admin', 'clerk', 'leader', 'deputy', 'member', 'secretary'];
const TARGET_READERS: readonly Role[] = ['admin', 'clerk', 'leader', 'secretary'];

/** The side menu, in order; later features add their entries here. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'cycles', path: '/cycles', icon: <ScheduleOutlined />, roles: ['admin', 'clerk', 'leader', 'deputy', 'member', 'secretary'] },
  { key: 'myReports', path: '/my-reports', icon: <FileTextOutlined />, roles: ['secretary'] },
  { key: 'rubrics', path: '/rubrics', icon: <ProfileOutlined />, roles: ['admin', 'clerk'] },
  { key: 'orgs', path: '/orgs', icon: <ApartmentOutlined /> },
  { key: 'meetings', path: '/meetings', icon: <NotificationOutlined />, roles: ['admin', 'clerk'] },
  { key: 'myMeetings', path: '/my-meetings', icon: <CheckSquareOutlined />, roles: ['leader', 'deputy'] },
  { key: 'ledger', path: '/ledger', icon: <UnorderedListOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'ledgerDashboard', path: '/ledger/dashboard', icon: <DashboardOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'myItems', path: '/ledger/mine', icon: <SolutionOutlined />, roles: ['secretary'] },
  { key: 'opinions', path: '/ledger/opinions', icon: <CommentOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'opinionImport', path: '/ledger/import', icon: <FileDoneOutlined />, roles: ['admin', 'clerk'] },
  { key: 'followup', path: '/ledger/followup', icon: <FileWordOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'results', path: '/results', icon: <TrophyOutlined />, roles: RESULT_READERS, alsoMatches: /^\/cycles\/\d+\/results$/ },
  { key: 'interviews', path: '/interviews', icon: <CommentOutlined />, roles: ['admin', 'clerk'] },
  { key: 'notices', path: '/notices', icon: <FileDoneOutlined />, roles: ['admin', 'clerk', 'secretary'] },
  { key: 'myResults', path: '/my-results', icon: <LineChartOutlined />, roles: ['secretary'] },
  { key: 'petitions', path: '/petitions', icon: <FileTextOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'petitionStats', path: '/petitions/stats', icon: <BarChartOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'petitionCalendar', path: '/petitions/calendar', icon: <CalendarOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'petitionImport', path: '/petitions/import', icon: <UploadOutlined />, roles: ['admin', 'clerk'] },
  { key: 'petitionSync', path: '/petitions/sync', icon: <SyncOutlined />, roles: ['admin', 'clerk', 'integration'] },
  { key: 'users', path: '/users', icon: <TeamOutlined />, roles: ['admin'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, roles: ['admin'] },
  // 目标督查: the host's staff set programmes up; secretaries keep their own units' pipeline.
  { key: 'targetProgrammes', path: '/targets', icon: <AimOutlined />, roles: ['admin', 'clerk'], group: 'targets' },
  {
    key: 'targetPipeline',
    path: '/targets/pipeline',
    icon: <FundProjectionScreenOutlined />,
    roles: ['admin', 'clerk', 'secretary'],
    group: 'targets',
  },
  { key: 'targetCompletion', path: '/targets/completion', icon: <RiseOutlined />, roles: ['admin', 'clerk', 'secretary'], group: 'targets' },
  // 月报, 督查 and 通报: the host's leaders supervise and read them too.
  { key: 'targetMonthly', path: '/targets/monthly', icon: <CalendarOutlined />, roles: TARGET_READERS, group: 'targets' },
  { key: 'targetSupervision', path: '/targets/supervision', icon: <AuditOutlined />, roles: TARGET_READERS, group: 'targets' },
  { key: 'targetBulletins', path: '/targets/bulletins', icon: <NotificationOutlined />, roles: TARGET_READERS, group: 'targets' },
];

export function visibleNavItems(role: Role | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** The menu's entries in order, each group's items gathered under its heading where its first item stands. */
export type NavEntry = { item: NavItem } | { group: NavGroup; items: NavItem[] };

export function navTree(items: readonly NavItem[]): NavEntry[] {
  const entries: NavEntry[] = [];
  for (const item of items) {
    if (!item.group) {
      entries.push({ item });
      continue;
    }
    const existing = entries.find((entry) => 'group' in entry && entry.group === item.group);
    if (existing && 'group' in existing) existing.items.push(item);
    else entries.push({ group: item.group, items: [item] });
  }
  return entries;
}

/** The menu entry a location belongs to: one that claims it by pattern, else the longest path that prefixes it. */
export function activeNavKey(pathname: string, items: readonly NavItem[]): string | undefined {
  const claimed = items.find((item) => item.alsoMatches?.test(pathname));
  if (claimed) return claimed.key;
  return [...items]
    .filter((item) => (item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.key;
}
